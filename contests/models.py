"""Contests: calls (Wagtail pages), categories, entrants, entries and their files, the jury,
results and the audit log. Models hold fields and small properties; decisions live in
``contests/domain/``."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from campaigns.shareable import ShareablePage
from hub.blocks import BodyBlock
from network.enums import State

from .enums import (
    LICENSE_URLS,
    AuditAction,
    CallPhase,
    CategoryKind,
    EducationLevel,
    EntryStatus,
    License,
)
from .kinds import rules_for

# Wagtail forces this arrow: a page model names its form class (``base_form_class`` takes a
# class, not a dotted path). page_forms never imports this module back.
from .page_forms import ContestCallPageForm
from .storage import private_storage
from .text import local_time, no_control_characters, no_markup, single_line, single_line_plain


class ChoiceListField(models.JSONField):
    """A list of choices stored as JSON (any database), edited as checkboxes."""

    def __init__(self, *args, choice_list=(), **kwargs):
        self.choice_list = list(choice_list)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        return name, "django.db.models.JSONField", args, kwargs

    def formfield(self, **kwargs):
        from django import forms

        return forms.TypedMultipleChoiceField(
            choices=self.choice_list, required=not self.blank, label=self.verbose_name,
            help_text=self.help_text, widget=forms.CheckboxSelectMultiple)


def _current_year() -> int:
    return timezone.localdate().year


class ContestSeriesPage(Page):
    """A contest that runs in editions, e.g. the Concurso Nacional de Spots de Radio."""

    intro = models.TextField(_("introducción"), blank=True, validators=[no_control_characters])
    body = StreamField(BodyBlock(), verbose_name=_("contenido"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["hub.HomePage", "hub.StandardPage"]
    subpage_types = ["contests.ContestCallPage"]
    template = "contests/series_page.html"

    class Meta:
        verbose_name = _("concurso (serie de ediciones)")
        verbose_name_plural = _("concursos")

    def route(self, request, path_components):
        """Find an edition in one query, with its results publication (which its phase and
        results read), instead of Wagtail's generic page query plus the specific one."""
        if path_components:
            try:
                call = (ContestCallPage.objects.child_of(self).select_related("results_publication")
                        .get(slug=path_components[0]))
            except ContestCallPage.DoesNotExist:
                return super().route(request, path_components)
            call._cached_parent_obj = self  # as Wagtail's own route does
            return call.route(request, path_components[1:])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["editions"] = (ContestCallPage.objects.live().child_of(self)
                               .select_related("results_publication")  # each edition's phase
                               .order_by("-edition", "-closes_at"))
        return context


class Minutes(models.Func):
    """An integer column as a duration in minutes (SQLite keeps durations as microseconds)."""

    output_field = models.DurationField()

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="make_interval(mins => %(expressions)s)",
                              **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="(%(expressions)s * 60000000)", **extra)


def _deadline_expression():
    """closes_at + grace_minutes, in SQL (SQLite and PostgreSQL alike)."""
    return models.ExpressionWrapper(models.F("closes_at") + Minutes("grace_minutes"),
                                    output_field=models.DateTimeField())


def local_midnight(day: dt.date) -> dt.datetime:
    """The first instant of ``day`` in Mexico City (the site's time zone), aware."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class ContestCallQuerySet(PageQuerySet):
    """Calls by phase, as adhocracy4 queries its phases. ``now`` may be given (tests freeze
    time with it); the phase of one call is ``ContestCallPage.phase``."""

    def with_deadline(self):
        return self.annotate(deadline_at=_deadline_expression())

    def upcoming(self, now=None):
        return self.filter(opens_at__gt=now or timezone.now())

    def open(self, now=None):
        now = now or timezone.now()
        return self.with_deadline().filter(opens_at__lte=now, deadline_at__gte=now)

    def _after_deadline(self, now):
        return self.with_deadline().filter(deadline_at__lt=now)

    def _results_public(self, now):
        return models.Q(results_publication__isnull=False, results_at__lte=now)

    def _jury_started(self, now):
        today = timezone.localdate(now)
        return models.Q(jury_starts_on__isnull=False, jury_starts_on__lte=today) | models.Q(
            jury_starts_on__isnull=True)

    def closed(self, now=None):
        """Closed to entries, the jury not started yet."""
        now = now or timezone.now()
        return (self._after_deadline(now).exclude(self._results_public(now))
                .filter(jury_starts_on__isnull=False, jury_starts_on__gt=timezone.localdate(now)))

    def in_review(self, now=None):
        """The jury phase: closed, jury started, results not public yet."""
        now = now or timezone.now()
        return (self._after_deadline(now).exclude(self._results_public(now))
                .filter(self._jury_started(now)))

    def with_results(self, now=None):
        now = now or timezone.now()
        return self._after_deadline(now).filter(self._results_public(now))


class ContestCallPageManager(PageManager.from_queryset(ContestCallQuerySet)):
    pass


class ContestCallPage(ShareablePage, Page):
    """One edition's call (convocatoria): bases, categories, rubric, dates and results."""

    edition = models.PositiveSmallIntegerField(_("número de edición"), default=1)
    year = models.PositiveSmallIntegerField(_("año"), default=_current_year)
    intro = models.TextField(_("resumen"), blank=True, validators=[no_control_characters])
    body = StreamField(BodyBlock(), verbose_name=_("bases y reglas"), blank=True)
    themes = models.TextField(_("temas"), blank=True, help_text=_("Uno por renglón."),
                              validators=[no_control_characters])
    opens_at = models.DateTimeField(_("apertura"))
    closes_at = models.DateTimeField(
        _("cierre"), help_text=_("Hora exacta del centro de México. Después de este momento (más la "
                                 "prórroga general, si la hay) no se aceptan envíos."))
    grace_minutes = models.PositiveIntegerField(
        _("prórroga general (minutos)"), default=0,
        help_text=_("Tiempo adicional documentado en las bases; queda en la bitácora."))
    jury_starts_on = models.DateField(_("inicio de la evaluación"), null=True, blank=True)
    jury_ends_on = models.DateField(_("fin de la evaluación"), null=True, blank=True)
    results_at = models.DateTimeField(_("publicación de resultados"))
    license = models.CharField(_("licencia de las obras ganadoras"), max_length=20,
                               choices=License.choices, default=License.CC_BY)
    normalize_scores = models.BooleanField(
        _("normalizar calificaciones por jurado"), default=False,
        help_text=_("Compensa jurados más estrictos o más generosos (puntaje z por jurado)."))
    reviews_per_entry = models.PositiveSmallIntegerField(_("evaluaciones por participación"),
                                                         default=3)
    jury_president = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("presidencia del jurado"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", limit_choices_to={"groups__name": "Jurado"},
        help_text=_("Una persona del grupo Jurado."))
    contact_email = models.EmailField(_("correo para dudas"), blank=True)
    jury_text = models.TextField(
        _("integrantes del jurado"), blank=True,
        help_text=_("Se publica en la convocatoria, p. ej. nombres y cargos. Uno por renglón."),
        validators=[no_control_characters])

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("edition"), FieldPanel("year")]),
        FieldPanel("intro"), FieldPanel("body"), FieldPanel("themes"),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at"),
                           FieldPanel("grace_minutes")]),
            FieldRowPanel([FieldPanel("jury_starts_on"), FieldPanel("jury_ends_on"),
                           FieldPanel("results_at")]),
        ], heading=_("Fechas (hora del centro de México)")),
        InlinePanel("categories", label=_("Categorías (modalidades)"), min_num=1),
        InlinePanel("criteria", label=_("Rúbrica: criterios de evaluación"), min_num=1),
        MultiFieldPanel([FieldPanel("license"), FieldPanel("reviews_per_entry"),
                         FieldPanel("normalize_scores"), FieldPanel("jury_president"),
                         FieldPanel("jury_text"), FieldPanel("contact_email")],
                        heading=_("Jurado, resultados y licencia")),
    ]
    promote_panels = Page.promote_panels + ShareablePage.share_panels
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("themes")]
    parent_page_types = ["contests.ContestSeriesPage"]
    subpage_types: list[str] = []
    base_form_class = ContestCallPageForm
    template = "contests/call_page.html"

    objects = ContestCallPageManager()

    class Meta:
        verbose_name = _("convocatoria")
        verbose_name_plural = _("convocatorias")

    def clean(self):
        super().clean()
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("El cierre debe ser posterior a la apertura.")
        if self.closes_at and self.results_at and self.results_at < self.closes_at:
            errors["results_at"] = _("Los resultados no pueden publicarse antes del cierre.")
        starts, ends = self.jury_starts_on, self.jury_ends_on
        if bool(starts) != bool(ends):
            errors["jury_ends_on" if starts else "jury_starts_on"] = _(
                "Indique el inicio y el fin de la evaluación, o deje ambos vacíos.")
        elif starts and ends:
            if ends < starts:
                errors["jury_ends_on"] = _("El fin de la evaluación no puede ser anterior a su inicio.")
            elif self.closes_at and local_midnight(starts) < self.deadline:
                errors["jury_starts_on"] = _(
                    "La evaluación empieza después del cierre de la convocatoria (el día siguiente "
                    "al cierre, como pronto).")
            elif self.results_at and local_midnight(ends) > self.results_at:
                errors["jury_ends_on"] = _(
                    "La evaluación debe terminar antes de la publicación de resultados.")
        if errors:
            raise ValidationError(errors)

    # --- dates -----------------------------------------------------------------------
    @property
    def deadline(self) -> dt.datetime:
        """The last instant a submission is accepted for everyone (closing plus grace)."""
        return self.closes_at + dt.timedelta(minutes=self.grace_minutes)

    def deadline_for(self, user) -> dt.datetime:
        """The deadline for one entrant: the general one or their individual extension."""
        deadline = self.deadline
        if user is not None and getattr(user, "pk", None):
            extension = (self.extensions.filter(entrant=user).order_by("-until")
                         .values_list("until", flat=True).first())
            if extension and extension > deadline:
                return extension
        return deadline

    def is_open(self, now=None, user=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now <= self.deadline_for(user)

    @property
    def jury_starts_at(self) -> dt.datetime:
        """When the jury phase starts: its first day at 00:00 Mexico City time, or the general
        deadline when the call sets no jury dates."""
        return local_midnight(self.jury_starts_on) if self.jury_starts_on else self.deadline

    @property
    def jury_ends_at(self) -> dt.datetime | None:
        """The end of the jury's last day (Mexico City), or None when the call sets none."""
        return local_midnight(self.jury_ends_on + dt.timedelta(days=1)) if self.jury_ends_on else None

    def phase_at(self, now: dt.datetime | None = None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return CallPhase.UPCOMING
        if now <= self.deadline:
            return CallPhase.OPEN
        if self.results_public_at(now):
            return CallPhase.RESULTS
        if now < self.jury_starts_at:
            return CallPhase.CLOSED
        return CallPhase.IN_REVIEW

    @property
    def phase(self) -> str:
        return self.phase_at()

    def get_phase_display(self) -> str:
        return CallPhase(self.phase).label

    @property
    def results_published_at(self) -> dt.datetime | None:
        """When staff published the results (see ``ResultsPublication``), or None."""
        if not self.pk:
            return None
        try:
            return self.results_publication.published_at
        except ObjectDoesNotExist:
            return None

    def results_public_at(self, now: dt.datetime) -> bool:
        return bool(self.results_published_at) and now >= self.results_at

    @property
    def results_public(self) -> bool:
        return self.results_public_at(timezone.now())

    @property
    def theme_list(self) -> list[str]:
        return [line.strip() for line in self.themes.splitlines() if line.strip()]

    @property
    def license_url(self) -> str:
        return LICENSE_URLS.get(self.license, "")

    def get_share_summary(self) -> str:
        closes = local_time(self.closes_at)
        base = (self.search_description or self.intro or "").strip()
        return f"{base} Cierre: {closes} (hora del centro de México).".strip()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["categories"] = list(self.categories.all())
        context["criteria"] = list(self.criteria.all())
        if self.results_public:
            context["awards"] = Award.objects.published_by_category(self)
        series = self.get_parent().specific
        context["other_editions"] = (ContestCallPage.objects.live().sibling_of(self, inclusive=False)
                                     .order_by("-edition"))
        context["series"] = series
        return context


class Category(Orderable):
    """A modalidad of a call, with its own eligibility, files and prizes."""

    call = ParentalKey(ContestCallPage, related_name="categories", on_delete=models.CASCADE)
    name = models.CharField(_("nombre"), max_length=120, validators=[single_line])
    code = models.CharField(
        _("clave del folio"), max_length=10,
        help_text=_("Prefijo de los folios, p. ej. SPOT da SPOT-2026-0042."))
    kind = models.CharField(_("tipo de obra"), max_length=20, choices=CategoryKind.choices)
    description = models.TextField(_("descripción"), blank=True,
                                   validators=[no_control_characters])
    education_levels = ChoiceListField(
        _("niveles educativos admitidos"), default=list, blank=True, choice_list=EducationLevel.choices,
        help_text=_("Vacío: cualquier nivel."))
    min_age = models.PositiveSmallIntegerField(_("edad mínima"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("edad máxima"), null=True, blank=True)
    max_team_size = models.PositiveSmallIntegerField(
        _("máximo de integrantes"), default=1, validators=[MinValueValidator(1),
                                                          MaxValueValidator(10)],
        help_text=_("1 = solo participación individual."))
    max_file_mb = models.PositiveIntegerField(_("tamaño máximo por archivo (MB)"), default=20)
    max_audio_seconds = models.PositiveIntegerField(
        _("duración máxima del audio (segundos)"), null=True, blank=True)
    prizes = models.TextField(_("premios"), blank=True, validators=[no_control_characters])

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("code"), FieldPanel("kind")]),
        FieldPanel("description"),
        FieldPanel("education_levels"),
        FieldRowPanel([FieldPanel("min_age"), FieldPanel("max_age"), FieldPanel("max_team_size")]),
        FieldRowPanel([FieldPanel("max_file_mb"), FieldPanel("max_audio_seconds")]),
        FieldPanel("prizes"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("categoría")
        verbose_name_plural = _("categorías")
        constraints = [
            models.UniqueConstraint(fields=["call", "code"], name="contests_category_code_per_call"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.code = (self.code or "").strip().upper()
        if not self.code.replace("-", "").isalnum():
            raise ValidationError({"code": _("La clave lleva solo letras y números, p. ej. SPOT.")})
        invalid = set(self.education_levels or []) - set(EducationLevel.values)
        if invalid:
            raise ValidationError({"education_levels": _("Nivel educativo desconocido: %(v)s")
                                   % {"v": ", ".join(sorted(invalid))}})
        if self.min_age and self.max_age and self.max_age < self.min_age:
            raise ValidationError({"max_age": _("La edad máxima es menor que la mínima.")})

    @property
    def allows_teams(self) -> bool:
        return self.max_team_size > 1

    @property
    def rules(self):
        return rules_for(self)

    def education_levels_display(self) -> str:
        labels = dict(EducationLevel.choices)
        return ", ".join(str(labels[v]) for v in self.education_levels if v in labels)


class Criterion(Orderable):
    """A criterion of the call's rubric, with its weight and score range."""

    call = ParentalKey(ContestCallPage, related_name="criteria", on_delete=models.CASCADE)
    name = models.CharField(_("criterio"), max_length=120, validators=[single_line])
    description = models.CharField(_("descripción"), max_length=255, blank=True,
                                   validators=[single_line])
    weight = models.DecimalField(_("peso"), max_digits=5, decimal_places=2, default=1,
                                 validators=[MinValueValidator(0)])
    min_score = models.PositiveSmallIntegerField(_("puntaje mínimo"), default=0)
    max_score = models.PositiveSmallIntegerField(_("puntaje máximo"), default=10)

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("weight"), FieldPanel("min_score"),
                             FieldPanel("max_score")]), FieldPanel("description")]

    class Meta(Orderable.Meta):
        verbose_name = _("criterio")
        verbose_name_plural = _("criterios")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.max_score <= self.min_score:
            raise ValidationError({"max_score": _("El máximo debe ser mayor que el mínimo.")})


class EntrantProfile(models.Model):
    """What an entrant tells about themselves. Seen by the entrant and authorised staff only."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="entrant_profile")
    full_name = models.CharField(_("nombre completo"), max_length=150, validators=[single_line_plain])
    state = models.CharField(_("entidad federativa"), max_length=5, choices=State.choices)
    school = models.CharField(_("escuela, universidad o medio"), max_length=200, blank=True,
                              validators=[single_line_plain])
    education_level = models.CharField(_("nivel educativo"), max_length=20,
                                       choices=EducationLevel.choices)
    birth_date = models.DateField(_("fecha de nacimiento"))
    phone = models.CharField(_("teléfono"), max_length=30, blank=True, validators=[single_line_plain])
    privacy_accepted_at = models.DateTimeField(_("aviso de privacidad aceptado el"))
    guardian_name = models.CharField(_("nombre de la madre, padre o tutor"), max_length=150,
                                     blank=True, validators=[single_line_plain])
    guardian_email = models.EmailField(_("correo de la madre, padre o tutor"), blank=True)
    guardian_relationship = models.CharField(_("parentesco"), max_length=60, blank=True,
                                             validators=[single_line_plain])
    guardian_consent_at = models.DateTimeField(_("consentimiento del tutor el"), null=True,
                                               blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("perfil de participante")
        verbose_name_plural = _("perfiles de participantes")

    def __str__(self):
        return self.full_name

    def age_on(self, day: dt.date) -> int:
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))

    @property
    def is_minor(self) -> bool:
        return self.age_on(timezone.localdate()) < 18


class EntryQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(status=EntryStatus.SUBMITTED)

    def visible_to(self, user):
        """The entries a person made or co-authors (an accepted invitation)."""
        return self.filter(models.Q(owner=user)
                           | models.Q(coauthors__user=user, coauthors__accepted_at__isnull=False)).distinct()


class Entry(models.Model):
    """One work sent to one category of a call. Drafts are private; a submitted entry has a
    folio and, after the deadline, is frozen."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    call = models.ForeignKey(ContestCallPage, verbose_name=_("convocatoria"),
                             on_delete=models.PROTECT, related_name="entries")
    category = models.ForeignKey(Category, verbose_name=_("categoría"), on_delete=models.PROTECT,
                                 related_name="entries")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("participante"),
                              on_delete=models.PROTECT, related_name="contest_entries")
    status = models.CharField(_("estado"), max_length=20, choices=EntryStatus.choices,
                              default=EntryStatus.DRAFT)
    folio = models.CharField(_("folio"), max_length=40, unique=True, null=True, blank=True)
    title = models.CharField(_("título de la obra"), max_length=200, validators=[single_line_plain])
    summary = models.TextField(_("descripción o sinopsis"), max_length=3000, blank=True,
                               validators=[no_markup])
    theme = models.CharField(_("tema"), max_length=200, blank=True)
    link = models.URLField(_("enlace"), max_length=500, blank=True)
    published_on = models.DateField(_("fecha de publicación"), null=True, blank=True)
    media_outlet = models.CharField(_("medio donde se publicó"), max_length=200, blank=True,
                                    validators=[single_line_plain])
    client_token = models.CharField(max_length=64, blank=True, editable=False)
    has_unsent_changes = models.BooleanField(default=True, editable=False)
    submitted_at = models.DateTimeField(_("enviada el"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("retirada el"), null=True, blank=True)
    disqualified_reason = models.TextField(_("motivo de descalificación"), blank=True,
                                           validators=[no_markup])
    owner_was_minor = models.BooleanField(
        _("menor de edad al enviar"), null=True, editable=False,
        help_text=_("Fijado al enviar: decide si su nombre puede publicarse."))
    created_at = models.DateTimeField(_("creada el"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizada el"), auto_now=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("participación")
        verbose_name_plural = _("participaciones")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "client_token"],
                                    condition=~models.Q(client_token=""),
                                    name="contests_entry_client_token"),
        ]
        permissions = [
            ("manage_contests", _("Puede administrar participaciones, jurado y resultados")),
            ("view_entrant_data", _("Puede ver datos personales de participantes")),
            ("view_contest_stats", _("Puede ver tableros de concursos (cifras agregadas)")),
        ]

    def __str__(self):
        return self.folio or self.title

    def get_absolute_url(self):
        return reverse("contests:entry", args=[self.public_id])

    @property
    def is_submitted(self) -> bool:
        return self.status == EntryStatus.SUBMITTED

    @cached_property
    def anonymous_code(self) -> str:
        """How jurors see the entry: no folio sequence, no names."""
        return f"{self.category.code}-{str(self.public_id)[:8].upper()}"

    def editable_by_entrant(self, now=None) -> bool:
        if self.status not in (EntryStatus.DRAFT, EntryStatus.SUBMITTED):
            return False
        return self.call.is_open(now=now, user=self.owner)


class EntryFile(models.Model):
    """A file of an entry, stored privately under a random name. Its hash is the proof of
    what the entrant sent."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="files")
    slot = models.CharField(_("archivo"), max_length=30)
    file = models.FileField(storage=private_storage, upload_to="entries/%Y/%m/", max_length=200)
    original_name = models.CharField(_("nombre"), max_length=120)
    format = models.CharField(_("formato"), max_length=10)
    size = models.BigIntegerField(_("tamaño (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    duration = models.FloatField(_("duración (s)"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("páginas"), null=True, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    uploaded_at = models.DateTimeField(_("subido el"), default=timezone.now)
    # The copy jurors and the archive get: identifying metadata stripped, made once.
    blind_file = models.FileField(storage=private_storage, upload_to="blind/%Y/%m/", max_length=200,
                                  blank=True, editable=False)

    class Meta:
        verbose_name = _("archivo de participación")
        verbose_name_plural = _("archivos de participación")
        constraints = [models.UniqueConstraint(fields=["entry", "slot"],
                                               name="contests_entryfile_slot")]

    def __str__(self):
        return self.original_name


class FolioCounter(models.Model):
    """The last number given under a folio prefix such as ``SPOT-2026``. Folios are unique
    site-wide, so two calls of one year sharing a category code share the counter. Kept apart
    from the page, whose revisions would roll it back."""

    prefix = models.CharField(max_length=30, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.prefix} #{self.last}"


class CoAuthor(models.Model):
    """A team member invited by the lead entrant."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="coauthors")
    name = models.CharField(_("nombre completo"), max_length=150, validators=[single_line_plain])
    email = models.EmailField(_("correo"))
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invited_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(_("aceptó el"), null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="coauthorships")

    class Meta:
        verbose_name = _("coautoría")
        verbose_name_plural = _("coautorías")
        constraints = [models.UniqueConstraint(fields=["entry", "email"],
                                               name="contests_coauthor_once")]

    def __str__(self):
        return self.name


class Extension(models.Model):
    """An individual extension of the deadline, granted by staff with a reason."""

    call = models.ForeignKey(ContestCallPage, on_delete=models.CASCADE, related_name="extensions")
    entrant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("participante"),
                                on_delete=models.CASCADE, related_name="+")
    until = models.DateTimeField(_("hasta"))
    reason = models.TextField(_("motivo"), validators=[no_markup])
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("prórroga")
        verbose_name_plural = _("prórrogas")

    def __str__(self):
        return f"{self.entrant} → {self.until:%Y-%m-%d %H:%M}"


class CategoryJuror(models.Model):
    """A juror of a category: the pool assignments are drawn from."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="jurors")
    juror = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="jury_categories")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["category", "juror"],
                                               name="contests_categoryjuror_once")]

    def __str__(self):
        return f"{self.juror} · {self.category}"


class Assignment(models.Model):
    """A juror must review an entry."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="assignments")
    juror = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="jury_assignments")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("asignación")
        verbose_name_plural = _("asignaciones")
        constraints = [models.UniqueConstraint(fields=["entry", "juror"],
                                               name="contests_assignment_once")]

    def __str__(self):
        return f"{self.juror} · {self.entry}"


class Conflict(models.Model):
    """A juror's declaration of a conflict of interest with an entry."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="conflicts")
    juror = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="jury_conflicts")
    reason = models.TextField(_("motivo"), validators=[no_markup])
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conflicto de interés")
        verbose_name_plural = _("conflictos de interés")
        constraints = [models.UniqueConstraint(fields=["entry", "juror"],
                                               name="contests_conflict_once")]

    def __str__(self):
        return f"{self.juror} ≠ {self.entry}"


class Review(models.Model):
    """A juror's scores for one entry (criterion id -> score), or an abstention."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="reviews")
    juror = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="jury_reviews")
    scores = models.JSONField(default=dict)
    comment = models.TextField(_("comentario"), blank=True, validators=[no_markup])
    abstained = models.BooleanField(_("me abstengo"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("evaluación")
        verbose_name_plural = _("evaluaciones")
        constraints = [models.UniqueConstraint(fields=["entry", "juror"],
                                               name="contests_review_once")]

    def __str__(self):
        return f"{self.juror} · {self.entry}"


class AwardQuerySet(models.QuerySet):
    def published_by_category(self, call) -> dict:
        """The awarded entries of a call whose results are public, by category, best first."""
        if not call.results_public:
            return {}
        grouped: dict = {}
        # One query: what the results list shows (place, the entry's folio, title, category).
        for award in (self.filter(entry__call=call, entry__status=EntryStatus.SUBMITTED)
                      .select_related("entry__category")):
            grouped.setdefault(award.entry.category, []).append(award)
        for awards in grouped.values():
            awards.sort(key=lambda a: a.sort_place)
        return grouped


class Award(models.Model):
    """A place or honourable mention given to an entry by the jury."""

    MENTION = 0
    entry = models.OneToOneField(Entry, on_delete=models.CASCADE, related_name="award")
    place = models.PositiveSmallIntegerField(
        _("lugar"), help_text=_("1, 2, 3…; 0 para mención honorífica."))
    citation = models.TextField(_("fundamentación"), blank=True, validators=[no_control_characters])
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AwardQuerySet.as_manager()

    class Meta:
        verbose_name = _("premio")
        verbose_name_plural = _("premios")
        ordering = ["entry__category__sort_order", "entry__category_id", "place"]

    def __str__(self):
        return f"{self.entry} · {self.label}"

    @property
    def label(self) -> str:
        if self.place == self.MENTION:
            return str(_("Mención honorífica"))
        return str(_("%(n)sº lugar") % {"n": self.place})

    @property
    def sort_place(self) -> int:
        return self.place or 99


class ResultsPublication(models.Model):
    """Staff published the results of a call: who and when. Its own row, never a page field,
    so no page revision (published, reverted or copied) can bring back or erase it. The
    results are public from the later of ``published_at`` and the call's ``results_at``."""

    call = models.OneToOneField(ContestCallPage, on_delete=models.CASCADE,
                                related_name="results_publication")
    published_at = models.DateTimeField(_("publicados el"), default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("publicados por"),
                                     null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        verbose_name = _("publicación de resultados")
        verbose_name_plural = _("publicaciones de resultados")

    def __str__(self):
        return f"{self.call} · {self.published_at:%Y-%m-%d %H:%M}"


class DecisionEmail(models.Model):
    """The e-mail telling an entrant the outcome: drafted by the system, reviewed and sent by
    staff."""

    entry = models.OneToOneField(Entry, on_delete=models.CASCADE, related_name="decision_email")
    subject = models.CharField(_("asunto"), max_length=200, validators=[single_line])
    body = models.TextField(_("texto"), validators=[no_control_characters])
    sent_at = models.DateTimeField(_("enviado el"), null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("aviso de resultado")
        verbose_name_plural = _("avisos de resultado")

    def __str__(self):
        return self.subject


class AuditEvent(models.Model):
    """What happened to a call and its entries, and who did it. Append-only."""

    call = models.ForeignKey(ContestCallPage, on_delete=models.CASCADE, related_name="audit")
    entry = models.ForeignKey(Entry, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="audit")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(_("acción"), max_length=20, choices=AuditAction.choices)
    detail = models.TextField(_("detalle"), blank=True)
    at = models.DateTimeField(_("fecha"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("evento de bitácora")
        verbose_name_plural = _("bitácora")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_action_display()} · {self.at:%Y-%m-%d %H:%M}"


def log(call, action, *, actor=None, entry=None, detail: str = "") -> AuditEvent:
    return AuditEvent.objects.create(call=call, entry=entry, action=action, detail=detail,
                                     actor=actor if getattr(actor, "pk", None) else None)
