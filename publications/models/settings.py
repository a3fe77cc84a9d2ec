from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from hub import sitecache

from ..validators import validate_issn


@register_setting(icon="doc-full")
class PublicationSettings(sitecache.KeptSiteSetting, BaseSiteSetting):
    """What every issue and edition carries: ISSN, publisher, the committee's address."""

    issn = models.CharField(_("ISSN (electrónico)"), max_length=9, blank=True,
                            validators=[validate_issn])
    publisher = models.CharField(_("editor"), max_length=200,
                                 default="Sistema Nacional de Transparencia")
    committee_email = models.EmailField(
        _("correo del Comité Editorial"), blank=True,
        help_text=_("Recibe los avisos de reforma pendiente y de archivos PDF fallidos."))
    default_licence = models.CharField(_("licencia predeterminada"), max_length=20,
                                       default="CC-BY-4.0")

    panels = [MultiFieldPanel([FieldPanel("issn"), FieldPanel("publisher"),
                               FieldPanel("committee_email"), FieldPanel("default_licence")],
                              heading=_("Publicaciones"))]

    class Meta:
        verbose_name = _("ajustes de publicaciones")
