from django.urls import reverse
from django.utils.translation import gettext_lazy as _


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
    }
