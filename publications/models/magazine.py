"""The magazine: magazine → issue → article pages, reusable authors and sections."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from campaigns.shareable import ShareablePage, ShareablePageForm

from ..blocks import ArticleBodyBlock
from ..panels import UniqueRowsInlinePanel
from ..validators import MaxWordsValidator, validate_doi, validate_orcid
from .common import Licence, ReviewedPublishMixin


class Author(index.Indexed, models.Model):
    """A person who writes for the magazine; reused across articles. E-mail never public."""

    given_names = models.CharField(_("nombre(s)"), max_length=120)
    family_names = models.CharField(_("apellidos"), max_length=120)
    institution = models.ForeignKey(
        "network.Institution", verbose_name=_("institución de la red"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("Si pertenece a un órgano garante del SNT."))
    affiliation = models.CharField(_("adscripción (texto libre)"), max_length=250, blank=True,
                                   help_text=_("Universidad, organización u otra institución."))
    orcid = models.CharField(_("ORCID"), max_length=19, blank=True, validators=[validate_orcid])
    bio = models.TextField(_("semblanza"), blank=True, validators=[MaxWordsValidator(30)],
                           help_text=_("Hasta 30 palabras (criterios editoriales)."))
    email = models.EmailField(_("correo (no se publica)"), blank=True)
    user = models.ForeignKey("auth.User", verbose_name=_("cuenta"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")

    panels = [FieldRowPanel([FieldPanel("given_names"), FieldPanel("family_names")]),
              FieldPanel("institution"), FieldPanel("affiliation"), FieldPanel("orcid"),
              FieldPanel("bio"),
              FieldPanel("email", permission="publications.view_author_email")]
    search_fields = [index.SearchField("given_names"), index.SearchField("family_names"),
                     index.AutocompleteField("family_names"), index.SearchField("affiliation"),
                     index.FilterField("id")]  # the admin's chooser scopes by id

    class Meta:
        verbose_name = _("autor/a")
        verbose_name_plural = _("autores")
        ordering = ["family_names", "given_names"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_names}".strip()

    full_name.fget.short_description = _("Nombre")  # the admin listing's column heading

    @property
    def affiliation_name(self) -> str:
        return self.institution.name if self.institution_id else self.affiliation


class Section(models.Model):
    """A section of the magazine (Artículos, Ensayos, Entrevistas, Reseñas...): data."""

    name = models.CharField(_("nombre"), max_length=120, unique=True)
    slug = models.SlugField(_("identificador"), max_length=60, unique=True)
    description = models.TextField(_("descripción"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta:
        verbose_name = _("sección")
        verbose_name_plural = _("secciones")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MagazinePage(Page):
    """The magazine "México Transparente": the list of its issues."""

    intro = RichTextField(_("presentación"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["hub.HomePage"]
    subpage_types = ["publications.IssuePage"]
    max_count = 1
    template = "publications/magazine_page.html"

    class Meta:
        verbose_name = _("revista")
        verbose_name_plural = _("revistas")

    def route(self, request, path_components):
        """An issue or an article in one query, by its url_path (kept by Wagtail on moves
        and slug changes), instead of two per level."""
        if len(path_components) in (1, 2):
            model = IssuePage if len(path_components) == 1 else ArticlePage
            url_path = self.url_path + "/".join(path_components) + "/"
            queryset = model.objects.filter(url_path=url_path, path__startswith=self.path)
            if model is ArticlePage:
                queryset = queryset.select_related("section")
            page = queryset.first()
            if page is None:
                raise Http404
            return page.route(request, [])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from ..domain.issues import ahead_of_print

        context = super().get_context(request, *args, **kwargs)
        context["issues"] = (IssuePage.objects.child_of(self).live().public()
                             .select_related("cover").prefetch_related("cover__renditions")
                             .order_by("-issue_date", "-volume", "-number"))
        context["ahead_of_print"] = ahead_of_print(self)
        return context


class IssuePageForm(ShareablePageForm):
    """The TOC offers only this issue's articles, and each of them once."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        formset = self.formsets.get("toc_entries")
        if formset is None:
            return
        own = (ArticlePage.objects.child_of(self.instance) if self.instance.pk
               else ArticlePage.objects.none()).order_by("title")
        for form in [*formset.forms, formset.empty_form]:
            field = form.fields.get("article")
            if field is not None:
                field.widget = forms.Select()
                field.queryset = own  # also what the field accepts: another issue's is refused

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("toc_entries")
        if formset is not None:
            formset.is_valid()  # cleans its forms; a formset-level error does not stop ours
            seen = set()
            for form in formset.forms:
                data = getattr(form, "cleaned_data", None) or {}
                if data.get("DELETE") or not form.has_changed() and not form.instance.pk:
                    continue
                # The raw value: Django's own unique check may have removed it already.
                raw = str(form["article"].value() or "")
                if not raw:
                    continue
                if raw in seen:
                    article = ArticlePage.objects.filter(pk=raw).first()
                    form.add_error(None, _(
                        "«%(title)s» ya está en el índice de este número; cada artículo "
                        "aparece una sola vez.") % {"title": article.title if article else raw})
                    self.add_error(None, _("El índice tiene un artículo repetido."))
                seen.add(raw)
        return cleaned


class IssuePage(ShareablePage, Page):
    """An issue: volume, number, date, theme, cover, presentation; its table of contents."""

    volume = models.PositiveSmallIntegerField(_("volumen"))
    number = models.PositiveSmallIntegerField(_("número"))
    issue_date = models.DateField(_("fecha del número"))
    theme = models.CharField(_("tema"), max_length=200, blank=True)
    cover = models.ForeignKey("wagtailimages.Image", verbose_name=_("portada"), null=True,
                              blank=True, on_delete=models.SET_NULL, related_name="+")
    presentation = RichTextField(_("presentación"), blank=True,
                                 features=["bold", "italic", "link", "ol", "ul"])
    licence = models.CharField(_("licencia"), max_length=20, choices=Licence.choices,
                               default=Licence.CC_BY)

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldRowPanel([FieldPanel("volume"), FieldPanel("number"),
                                        FieldPanel("issue_date")]),
                         FieldPanel("theme"), FieldPanel("licence")], heading=_("Datos del número")),
        FieldPanel("cover"), FieldPanel("presentation"),
        UniqueRowsInlinePanel("toc_entries", heading=_("Índice (orden de los artículos)"),
                              label=_("entrada del índice")),
    ]
    promote_panels = Page.promote_panels + ShareablePage.share_panels
    search_fields = Page.search_fields + [index.SearchField("theme"),
                                          index.SearchField("presentation")]
    parent_page_types = ["publications.MagazinePage"]
    subpage_types = ["publications.ArticlePage"]
    base_form_class = IssuePageForm
    template = "publications/issue_page.html"

    class Meta:
        verbose_name = _("número de la revista")
        verbose_name_plural = _("números de la revista")

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        if self.volume and self.number:
            clash = (IssuePage.objects.filter(volume=self.volume, number=self.number)
                     .exclude(pk=self.pk).exclude(translation_key=self.translation_key)
                     .exclude(alias_of__isnull=False))
            if clash.exists():
                raise ValidationError({"number": _(
                    "Ya existe el número %(number)s del volumen %(volume)s.") % {
                        "number": self.number, "volume": self.volume}})

    def get_context(self, request, *args, **kwargs):
        from ..domain.issues import issue_context

        context = super().get_context(request, *args, **kwargs)
        context.update(issue_context(self, request,
                                     preview=getattr(request, "is_preview", False)))
        return context

    def copy(self, *args, **kwargs):
        """A copy's TOC points at its own (copied) articles, never at the original's."""
        from ..domain.issues import repair_copied_toc

        new = super().copy(*args, **kwargs)
        repair_copied_toc(new)
        return new

    def publish(self, revision, *args, **kwargs):
        """Refuse to publish or schedule while an article of the issue is not approved —
        whatever the path (admin, workflow, shell, ``publish_scheduled``)."""
        from ..domain.issues import IssueNotReady, check_can_publish

        try:
            check_can_publish(self)
        except IssueNotReady as refusal:
            if kwargs.get("log_action") == "wagtail.publish.scheduled":
                # publish_scheduled: stay scheduled (retried at every run), tell the logs.
                import logging

                logging.getLogger("publications").warning(
                    "Scheduled issue %s not published: %s", self.pk, refusal)
                return None
            raise
        return super().publish(revision, *args, **kwargs)


class IssueTocEntry(Orderable):
    """The issue's table of contents, in its own order (independent of sections)."""

    issue = ParentalKey(IssuePage, related_name="toc_entries", on_delete=models.CASCADE)
    article = models.ForeignKey("publications.ArticlePage", verbose_name=_("artículo"),
                                on_delete=models.CASCADE, related_name="toc_entries")

    panels = [FieldPanel("article")]

    class Meta(Orderable.Meta):
        verbose_name = _("entrada del índice")
        constraints = [models.UniqueConstraint(fields=["issue", "article"],
                                               name="publications_toc_article_once")]


class ArticlePage(ReviewedPublishMixin, ShareablePage, Page):
    """An article of an issue. Can go live before its issue (continuous publication)."""

    subtitle = models.CharField(_("subtítulo"), max_length=250, blank=True)
    abstract = models.TextField(_("resumen"))
    keywords = models.CharField(_("palabras clave"), max_length=300, blank=True,
                                help_text=_("Separadas por punto y coma."))
    section = models.ForeignKey(Section, verbose_name=_("sección"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="articles")
    body = StreamField(ArticleBodyBlock(), verbose_name=_("cuerpo"), blank=True)
    first_page = models.PositiveIntegerField(_("página inicial en el PDF del número"), null=True,
                                             blank=True)
    last_page = models.PositiveIntegerField(_("página final en el PDF del número"), null=True,
                                            blank=True)
    doi = models.CharField(_("DOI"), max_length=200, blank=True, validators=[validate_doi])
    licence = models.CharField(_("licencia"), max_length=20, choices=Licence.choices,
                               default=Licence.CC_BY)
    language = models.CharField(_("idioma"), max_length=8, default="es")

    content_panels = Page.content_panels + [
        FieldPanel("subtitle"), FieldPanel("section"),
        UniqueRowsInlinePanel("article_authors", heading=_("Autores (en orden)"),
                              label=_("autor/a"), min_num=1),
        FieldPanel("abstract"), FieldPanel("keywords"), FieldPanel("body"),
        MultiFieldPanel([FieldRowPanel([FieldPanel("first_page"), FieldPanel("last_page")]),
                         FieldPanel("doi"), FieldPanel("licence")], heading=_("Metadatos")),
    ]
    promote_panels = Page.promote_panels + ShareablePage.share_panels
    search_fields = Page.search_fields + [
        index.SearchField("subtitle"), index.SearchField("abstract"),
        index.SearchField("keywords"), index.SearchField("body"),
        index.RelatedFields("article_authors", [index.RelatedFields("author", [
            index.SearchField("given_names"), index.SearchField("family_names")])]),
        index.SearchField("search_text_unaccented"),  # see publications/search.py
    ]
    parent_page_types = ["publications.IssuePage"]
    subpage_types: list[str] = []
    base_form_class = ShareablePageForm
    template = "publications/article_page.html"

    class Meta:
        verbose_name = _("artículo")
        verbose_name_plural = _("artículos")

    def get_share_summary(self) -> str:
        return (self.search_description or self.abstract or "").strip()

    def get_context(self, request, *args, **kwargs):
        from ..domain.issues import article_context

        context = super().get_context(request, *args, **kwargs)
        context.update(article_context(self, request))
        return context

    def search_text_unaccented(self) -> str:
        from ..search import article_text

        return article_text(self)

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.replace(",", ";").split(";") if k.strip()]

    def clean(self):
        super().clean()
        if self.first_page and self.last_page and self.last_page < self.first_page:
            raise ValidationError({"last_page": _(
                "La página final no puede ser anterior a la inicial.")})


class ArticleAuthor(Orderable):
    article = ParentalKey(ArticlePage, related_name="article_authors", on_delete=models.CASCADE)
    author = models.ForeignKey(Author, verbose_name=_("autor/a"), on_delete=models.PROTECT,
                               related_name="article_links")
    corresponding = models.BooleanField(_("autor/a de correspondencia"), default=False)

    panels = [FieldPanel("author"), FieldPanel("corresponding")]

    class Meta(Orderable.Meta):
        verbose_name = _("autoría")
        constraints = [models.UniqueConstraint(fields=["article", "author"],
                                               name="publications_author_once_per_article")]
