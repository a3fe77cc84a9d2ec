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
        "publications_nav": SimpleLazyObject(_publications_nav),
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
    return links + [(urls[key], label) for key, label in labels.items() if urls[key]]


def _footer_pages() -> dict:
    """The footer's pages, found in one query: the library, the reports, the magazine and the
    booklet index."""
    from wagtail.models import Page

    from hub.models import PracticeLibraryPage, QuarterlyReportIndexPage
    from publications.models import BookletIndexPage, MagazinePage

    kinds = {"practices": PracticeLibraryPage, "reports": QuarterlyReportIndexPage,
             "magazine": MagazinePage, "booklets": BookletIndexPage}
    found = {p.specific_class: p.url for p in Page.objects.live().public().type(
        *kinds.values()).order_by("-path")}
    return {key: found.get(model) for key, model in kinds.items()}


def _publications_nav() -> list:
    """The magazine's archive and the booklets by series, for the footer, wherever editors put
    them (kept like the tools' pages above)."""
    urls = sitecache.remember(("footer-pages",), _footer_pages)
    labels = {"magazine": _("Revista «México Transparente»"),
              "booklets": _("Cuadernillos «Los ABC»")}
    return [(urls[key], label) for key, label in labels.items() if urls[key]]
