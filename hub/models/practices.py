"""The library of good practices (seed 004): pages, because a practice is shared through
campaigns when it is published (``campaigns.shareable``), and the network may not import
campaigns; hub's page layer may. Who edits which practice is decided by ``hub.practices``."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from campaigns.shareable import ShareablePage, ShareablePageForm
from network import rules
from network.enums import PracticeTopic

PRACTICE_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3"]


class PracticeLibraryPage(Page):
    """The public library: every published practice, searchable and filtered by topic and region."""

    intro = models.TextField(_("introducción"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["hub.HomePage"]
    subpage_types = ["hub.GoodPracticePage"]
    max_count = 1

    class Meta:
        verbose_name = _("biblioteca de buenas prácticas")

    def get_context(self, request, *args, **kwargs):
        from hub.practices import library_context

        context = super().get_context(request, *args, **kwargs)
        context.update(library_context(self, request.GET))
        return context


class GoodPracticePageForm(ShareablePageForm):
    """An officer documents practices of their own institution only."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self._own_institution = None
        if for_user is None or rules.is_coordinator(for_user):
            return
        own = rules.officer_institution_id(for_user) if rules.is_officer(for_user) else None
        self._own_institution = own or 0
        field = self.fields.get("institution")
        if field is not None:
            field.queryset = field.queryset.filter(pk=own) if own else field.queryset.none()
            field.empty_label = None

    def clean(self):
        cleaned = super().clean()
        institution = cleaned.get("institution")
        if (self._own_institution is not None and institution is not None
                and institution.pk != self._own_institution):
            self.add_error("institution",
                           _("Solo puede documentar prácticas de su propia institución."))
        return cleaned


class GoodPracticePage(ShareablePage, Page):
    """A practice a guarantor body documents for the others to learn from."""

    institution = models.ForeignKey(
        "network.Institution", verbose_name=_("institución que la documenta"),
        on_delete=models.PROTECT, related_name="good_practices")
    region = models.ForeignKey(
        "network.Region", verbose_name=_("región"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="good_practices",
        help_text=_("Vacía: la de la institución."))
    topic = models.CharField(_("tema"), max_length=20, choices=PracticeTopic.choices)
    year = models.PositiveSmallIntegerField(_("año de implementación"), null=True, blank=True)
    intro = models.TextField(_("resumen"), max_length=500,
                             help_text=_("Dos o tres líneas; es también el texto que se comparte."))
    problem = RichTextField(_("problema que atendió"), features=PRACTICE_FEATURES)
    actions = RichTextField(_("qué se hizo"), features=PRACTICE_FEATURES)
    results = RichTextField(_("resultados"), features=PRACTICE_FEATURES)
    contact_name = models.CharField(_("persona de contacto"), max_length=200, blank=True)
    contact_email = models.EmailField(_("correo de contacto"), blank=True)
    contact_public = models.BooleanField(
        _("publicar el contacto"), default=False,
        help_text=_("Muestra nombre y correo en el sitio y en datos abiertos. Márquelo solo si "
                    "es un contacto institucional o la persona lo autorizó."))

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("institution"), FieldPanel("region")]),
        FieldRowPanel([FieldPanel("topic"), FieldPanel("year")]),
        FieldPanel("problem"), FieldPanel("actions"), FieldPanel("results"),
        MultiFieldPanel([FieldPanel("contact_name"), FieldPanel("contact_email"),
                         FieldPanel("contact_public")], heading=_("Contacto")),
        InlinePanel("documents", heading=_("Documentos"), label=_("Documento")),
    ]
    promote_panels = Page.promote_panels + ShareablePage.share_panels
    search_fields = Page.search_fields + [
        index.SearchField("intro"), index.SearchField("problem"), index.SearchField("actions"),
        index.SearchField("results"),
        index.SearchField("search_text_unaccented"),  # see publications/search.py
        index.FilterField("topic"), index.FilterField("region"),
        index.FilterField("institution"),
    ]
    parent_page_types = ["hub.PracticeLibraryPage"]
    subpage_types: list[str] = []
    base_form_class = GoodPracticePageForm

    class Meta:
        verbose_name = _("buena práctica")
        verbose_name_plural = _("buenas prácticas")

    def get_share_summary(self) -> str:
        return (self.search_description or self.intro or "").strip()

    @property
    def search_text_unaccented(self) -> str:
        from publications.search import unaccent

        return unaccent(" ".join([self.title, self.intro, self.problem, self.actions,
                                  self.results]))

    @property
    def public_contact(self) -> dict[str, str]:
        """The contact shown publicly: nothing unless the editor marked it public."""
        if not self.contact_public:
            return {}
        return {k: v for k, v in (("name", self.contact_name), ("email", self.contact_email)) if v}

    def is_in_scope_of(self, user) -> bool:
        """Coordinación edits every practice; an officer those of their institution."""
        return bool(rules.can_act_for_institution(user, self.institution_id))

    def clean(self) -> None:
        super().clean()
        if self.contact_public and not (self.contact_name or self.contact_email):
            raise ValidationError({"contact_public": _("No hay contacto que publicar.")})
        if self.region_id is None and self.institution_id:
            self.region_id = self.institution.region_id

    def save(self, *args, **kwargs):
        if self.region_id is None and self.institution_id:
            self.region_id = self.institution.region_id
        super().save(*args, **kwargs)


class GoodPracticeDocument(Orderable):
    page = ParentalKey(GoodPracticePage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey("wagtaildocs.Document", verbose_name=_("documento"),
                                 on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("título"), max_length=255, blank=True,
                             help_text=_("Vacío: el del documento."))

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("documento de la práctica")
        verbose_name_plural = _("documentos de la práctica")

    @property
    def label(self) -> str:
        return self.title or self.document.title
