from django.conf import settings
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from hub import admin_account, datacatalog, opendata, sitemaps, views
from hub.selfassessment import views as selfassessment
from hub.statistics import views as statistics_views

urlpatterns = [
    # Before Wagtail's own, under the same name (hub/admin_account.py).
    path("admin/account/", admin_account.account, name="wagtailadmin_account"),
    path("admin/", include(wagtailadmin_urls)),
    path("documentos/", include(wagtaildocs_urls)),
    path("idioma/<str:code>/", views.choose_language, name="choose_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("buscar/", views.search, name="search"),
    path("salud/", views.health, name="health"),
    path("robots.txt", sitemaps.robots, name="robots"),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.section, name="sitemap_section"),
    path("datos/", opendata.index, name="opendata"),
    path("estadisticas/", statistics_views.public, name="statistics"),
    # Before the datasets' own addresses, which would take "datapackage.json" for a dataset.
    path("datos/datapackage.json", datacatalog.data_package, name="opendata_package"),
    path("datos/catalogo.jsonld", datacatalog.dcat_catalog, name="opendata_dcat"),
    path("datos/<slug:name>.json", opendata.as_json, name="opendata_json"),
    path("datos/<slug:name>.csv", opendata.as_csv, name="opendata_csv"),
    path("datos/<slug:name>/esquema.json", opendata.schema, name="opendata_schema"),
    path("autodiagnostico-gobierno-abierto/", selfassessment.self_assessment,
         name="self_assessment"),
    path("autodiagnostico-gobierno-abierto/pdf/", selfassessment.self_assessment_pdf,
         name="self_assessment_pdf"),
    path("cuentas/", include("allauth.urls")),
    path("api/", include("campaigns.api.urls")),
    path("", include("publications.urls")),
    path("", include("contests.urls")),
    path("", include("campaigns.urls")),
    path("", include("network.urls")),
]

if settings.DEBUG:
    # Development serves media itself, but never a document's file: documents are reached
    # through /documentos/<id>/<name>, which applies their collection's view restriction.
    urlpatterns += views.development_media_urls()

urlpatterns += [path("", include(wagtail_urls))]
