"""The "Los ABC" booklets: index → booklet → editions tied to the laws they rest on."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from campaigns.shareable import ShareablePage, ShareablePageForm

from ..blocks import EditionBodyBlock
from .common import Licence


class BookletSeries(models.Model):
    """A series of booklets (e.g. "Los ABC"); an OAI-PMH set."""

    name = models.CharField(_("nombre"), max_length=120, unique=True)
    slug = models.SlugField(_("identificador"), max_length=60, unique=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        verbose_name = _("serie de cuadernillos")
        verbose_name_plural = _("series de cuadernillos")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Audience(models.TextChoices):
    GENERAL = "general", _("Público en general")
    CHILDREN = "ninas-ninos", _("Niñas y niños")
    YOUTH = "jovenes", _("Jóvenes")
    PUBLIC_SERVANTS = "servidores", _("Personas servidoras públicas")
    MUNICIPALITIES = "municipios", _("Gobiernos municipales")


class BookletIndexPage(Page):
    intro = RichTextField(_("presentación"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["hub.HomePage"]
    subpage_types = ["publications.BookletPage"]
    max_count = 1
    template = "publications/booklet_index_page.html"

    class Meta:
        verbose_name = _("colección de cuadernillos")


class BookletPage(Page):
    """A booklet; its URL always shows the current edition."""

    series = models.ForeignKey(BookletSeries, verbose_name=_("serie"), on_delete=models.PROTECT,
                               related_name="booklets")
    number = models.PositiveSmallIntegerField(_("número en la serie"))
    audience = models.CharField(_("público"), max_length=20, choices=Audience.choices,
                                default=Audience.GENERAL)
    description = models.TextField(_("descripción"), blank=True)
    cover = models.ForeignKey("wagtailimages.Image", verbose_name=_("portada"), null=True,
                              blank=True, on_delete=models.SET_NULL, related_name="+")

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("series"), FieldPanel("number"), FieldPanel("audience")]),
        FieldPanel("description"), FieldPanel("cover"),
    ]
    search_fields = Page.search_fields + [index.SearchField("description")]
    parent_page_types = ["publications.BookletIndexPage"]
    subpage_types = ["publications.EditionPage"]
    template = "publications/booklet_page.html"

    class Meta:
        verbose_name = _("cuadernillo")
        verbose_name_plural = _("cuadernillos")


class EditionKind(models.TextChoices):
    NEW = "nueva", _("Nueva edición")
    CORRECTION = "correccion", _("Corrección")
    ERRATUM = "fe-de-erratas", _("Fe de erratas")


class EditionPage(ShareablePage, Page):
    """An edition of a booklet, current to a date and resting on given laws."""

    edition_number = models.PositiveSmallIntegerField(_("número de edición"))
    kind = models.CharField(_("tipo"), max_length=20, choices=EditionKind.choices,
                            default=EditionKind.NEW)
    current_to = models.DateField(_("actualizado a"))
    laws = ParentalManyToManyField("publications.Law", verbose_name=_("leyes en que se basa"),
                                   related_name="editions")
    trigger_reform = models.ForeignKey(
        "publications.Reform", verbose_name=_("reforma que la motivó"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="editions")
    trigger_law = models.ForeignKey(
        "publications.Law", verbose_name=_("ley nueva que la motivó"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="triggered_editions")
    replaces = models.ForeignKey("self", verbose_name=_("edición que sustituye"), null=True,
                                 blank=True, on_delete=models.SET_NULL, related_name="replaced_by")
    change_summary = models.TextField(
        _("qué cambió (para las personas lectoras)"),
        help_text=_("Obligatorio: explique en lenguaje sencillo qué cambió y por qué."))
    body = StreamField(EditionBodyBlock(), verbose_name=_("secciones"))
    licence = models.CharField(_("licencia"), max_length=20, choices=Licence.choices,
                               default=Licence.CC_BY)

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldRowPanel([FieldPanel("edition_number"), FieldPanel("kind"),
                                        FieldPanel("current_to")]),
                         FieldPanel("laws"), FieldPanel("trigger_reform"),
                         FieldPanel("trigger_law"), FieldPanel("replaces"),
                         FieldPanel("change_summary"), FieldPanel("licence")],
                        heading=_("Datos de la edición")),
        FieldPanel("body"),
    ]
    promote_panels = Page.promote_panels + ShareablePage.share_panels
    search_fields = Page.search_fields + [index.SearchField("change_summary"),
                                          index.SearchField("body"),
                                          # see publications/search.py
                                          index.SearchField("search_text_unaccented")]
    parent_page_types = ["publications.BookletPage"]
    subpage_types: list[str] = []
    base_form_class = ShareablePageForm
    template = "publications/edition_page.html"

    class Meta:
        verbose_name = _("edición de cuadernillo")
        verbose_name_plural = _("ediciones de cuadernillos")

    def get_share_summary(self) -> str:
        return (self.search_description or self.change_summary or "").strip()

    def search_text_unaccented(self) -> str:
        from ..search import edition_text

        return edition_text(self)
