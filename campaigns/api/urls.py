from django.urls import path, re_path
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiJsonRenderer2
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from hub import converters as _ids  # noqa: F401  (registers <dbid:>)

from . import views

urlpatterns = [
    path("posts/", views.PostListView.as_view(), name="api_posts"),
    path("posts/<dbid:pk>/", views.PostDetailView.as_view(), name="api_post"),
    path("channels/", views.ChannelListView.as_view(), name="api_channels"),
    # JSON for clients that send ``Accept: application/json`` (and the OpenAPI media type).
    path("openapi.json", SpectacularAPIView.as_view(
        authentication_classes=[], permission_classes=[],
        renderer_classes=[OpenApiJsonRenderer2, OpenApiJsonRenderer]),
        name="api_schema"),
    # Browsable documentation (Redoc, served from our own static files).
    path("docs/", SpectacularRedocView.as_view(
        url_name="api_schema", authentication_classes=[], permission_classes=[]),
        name="api_docs"),
    # Any other address under /api/ (an id that is not a number, a typo): a JSON 404, as
    # the API's own refusals, not the site's HTML page. Only addresses ending in a slash, so
    # that /api/posts still finds /api/posts/ (APPEND_SLASH).
    re_path(r"^.*/$", views.not_found, name="api_not_found"),
]
