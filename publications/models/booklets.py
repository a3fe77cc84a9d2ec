"""The "Los ABC" booklets: index → booklet → editions tied to the laws they rest on."""

from __future__ import annotations

from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from campaigns.shareable import ShareablePage, ShareablePageForm

from ..blocks import EditionBodyBlock
from .common import Licence, ReviewedPublishMixin


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

    def route(self, request, path_components):
        # One query for the booklet and its series instead of three (child, specific, series).
        if path_components:
            child = (BookletPage.objects.child_of(self).select_related("series")
                     .filter(slug=path_components[0]).first())
            if child is not None:
                child._cached_parent_obj = self
                return child.route(request, path_components[1:])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from ..domain.editions import booklet_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(booklet_index_context(self, request.GET.get("publico", "")))
        return context


class BookletPage(RoutablePageMixin, Page):
    """A booklet; its URL always shows the current edition (and ``comparar/`` compares two)."""

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

    def route(self, request, path_components):
        # The booklet's own routes (``comparar/``) first, then its editions: a live one is
        # found among the booklet's editions as its page lists them (one query, which the
        # page then reuses), any other by its slug.
        if path_components and self.live:
            try:
                self.resolve_subpage("/" + "/".join(path_components) + "/")
            except Http404:
                from ..domain.editions import editions_of

                editions = list(editions_of(self))
                child = next((e for e in editions if e.slug == path_components[0]), None)
                if child is None:
                    child = (EditionPage.objects.child_of(self)
                             .filter(slug=path_components[0]).first())
                else:
                    child.listed_editions = editions
                if child is not None:
                    child._cached_parent_obj = self
                    return child.route(request, path_components[1:])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from ..domain.editions import booklet_context

        context = super().get_context(request, *args, **kwargs)
        context.update(booklet_context(self, request))
        return context

    @path("comparar/", name="compare")
    def compare(self, request):
        from ..views.booklets import compare_editions

        return compare_editions(request, self)


class EditionKind(models.TextChoices):
    NEW = "nueva", _("Nueva edición")
    CORRECTION = "correccion", _("Corrección")
    ERRATUM = "fe-de-erratas", _("Fe de erratas")


class EditionPageForm(ShareablePageForm):
    """Refuses an edition that contradicts its booklet or its laws (rules in the domain)."""

    SUMMARY_REQUIRED = _("Escriba el resumen de cambios: las personas lectoras necesitan saber "
                         "qué cambió en esta edición.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "change_summary" in self.fields:
            self.fields["change_summary"].error_messages["required"] = self.SUMMARY_REQUIRED
        if not self.is_bound and self.instance.pk is None and isinstance(
                getattr(self, "parent_page", None), BookletPage):
            from ..domain.editions import new_edition_initial

            self.initial.update({name: value for name, value in
                                 new_edition_initial(self.parent_page).items()
                                 if name in self.fields})

    def clean(self):
        from ..domain.editions import edition_problems

        cleaned = super().clean()
        # Required even in a draft (Wagtail defers required fields when saving drafts).
        if "change_summary" in self.fields and not (cleaned.get("change_summary") or "").strip() \
                and "change_summary" not in self.errors:
            self.add_error("change_summary", self.SUMMARY_REQUIRED)
        booklet = self.parent_page if self.instance.pk is None else self.instance.get_parent()
        for field, message in edition_problems(booklet, self.instance, cleaned):
            self.add_error(field if field in self.fields else None, message)
        return cleaned


class EditionPage(ReviewedPublishMixin, ShareablePage, Page):
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
    base_form_class = EditionPageForm
    template = "publications/edition_page.html"

    class Meta:
        verbose_name = _("edición de cuadernillo")
        verbose_name_plural = _("ediciones de cuadernillos")

    def get_share_summary(self) -> str:
        return (self.search_description or self.change_summary or "").strip()

    def search_text_unaccented(self) -> str:
        from ..search import edition_text

        return edition_text(self)

    def get_context(self, request, *args, **kwargs):
        from ..domain.editions import edition_context

        context = super().get_context(request, *args, **kwargs)
        context.update(edition_context(self, preview=getattr(request, "is_preview", False),
                                       request=request))
        return context


class NoticeStatus(models.TextChoices):
    CLAIMED = "claimed", pgettext_lazy("aviso", "Reservado para envío")
    SENT = "sent", pgettext_lazy("aviso", "Enviado")
    FAILED = "failed", pgettext_lazy("aviso", "Falló")


class PendingReformNotice(models.Model):
    """The one e-mail to the committee about a booklet left behind by a law change.

    One row per booklet and trigger (a replacing law or a reform), created before the mail is
    sent: the unique constraints are the claim, so two runs never send it twice.
    """

    booklet = models.ForeignKey(BookletPage, verbose_name=_("cuadernillo"),
                                on_delete=models.CASCADE, related_name="pending_notices")
    edition = models.ForeignKey(EditionPage, verbose_name=_("edición vigente"), null=True,
                                on_delete=models.SET_NULL, related_name="+")
    law = models.ForeignKey("publications.Law", verbose_name=_("ley en que se basa"),
                            on_delete=models.CASCADE, related_name="+")
    new_law = models.ForeignKey("publications.Law", verbose_name=_("ley que la sustituye"),
                                null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    reform = models.ForeignKey("publications.Reform", verbose_name=_("reforma"), null=True,
                               blank=True, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(pgettext_lazy("aviso", "estado"), max_length=10,
                              choices=NoticeStatus.choices, default=NoticeStatus.CLAIMED)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("reservado para envío"), default=timezone.now)
    sent_at = models.DateTimeField(_("enviado"), null=True, blank=True)

    class Meta:
        verbose_name = _("aviso de reforma pendiente")
        verbose_name_plural = _("avisos de reforma pendiente")
        constraints = [
            models.UniqueConstraint(fields=["booklet", "new_law"],
                                    condition=models.Q(new_law__isnull=False),
                                    name="publications_notice_once_per_new_law"),
            models.UniqueConstraint(fields=["booklet", "reform"],
                                    condition=models.Q(reform__isnull=False),
                                    name="publications_notice_once_per_reform"),
            models.CheckConstraint(
                condition=models.Q(new_law__isnull=False) ^ models.Q(reform__isnull=False),
                name="publications_notice_one_trigger"),
        ]

    def __str__(self) -> str:
        trigger = self.reform or self.new_law
        return f"{self.booklet_id}: {trigger}"
