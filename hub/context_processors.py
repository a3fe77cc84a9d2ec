from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from hub import sitecache


def site_shell(request):
    """Navigation shared by every public page."""
    return {
        "main_nav": [
            (reverse("network:directory"), _("Instituciones")),
            (reverse("network:calendar"), _("Calendario")),
            (reverse("network:capsules"), _("Cápsulas")),
            (reverse("contests:index"), _("Concursos")),
            (reverse("opendata"), _("Datos abiertos")),
        ],
        "open_government_nav": SimpleLazyObject(_open_government_nav),
    }


def _open_government_nav() -> list:
    """The open-government tools, for the footer: views by name, and the library and reports
    pages wherever editors put them (kept until something public changes: hub/sitecache.py)."""
    links = [
        (reverse("self_assessment"), _("Autodiagnóstico de gobierno abierto municipal")),
        (reverse("network:roadmaps"), _("Hojas de ruta municipales")),
        (reverse("network:agendas"), _("Agendas regionales")),
        (reverse("statistics"), _("Estadísticas trimestrales")),
    ]
    urls = sitecache.remember(("footer-pages",), _footer_pages)
    labels = {"practices": _("Buenas prácticas"), "reports": _("Informes trimestrales")}
    return links + [(url, labels[key]) for key, url in urls.items() if url]


def _footer_pages() -> dict:
    from wagtail.models import Page

    from hub.models import PracticeLibraryPage, QuarterlyReportIndexPage

    found = {p.specific_class: p.url for p in Page.objects.live().public().type(
        PracticeLibraryPage, QuarterlyReportIndexPage).order_by("-path")}
    return {"practices": found.get(PracticeLibraryPage),
            "reports": found.get(QuarterlyReportIndexPage)}
