"""The SNT network: institutions, regions, commissions, people, allies, agreements, events and
video capsules. Models hold fields, panels and small properties; decisions live in
``network/domain/``."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PublishingPanel,
)
from wagtail.fields import RichTextField
from wagtail.models import DraftStateMixin, PreviewableMixin, RevisionMixin
from wagtail.search import index

from hub.search import unaccent

from ..enums import (
    AgreementStanding,
    AgreementStatus,
    AllySector,
    CommissionRole,
    EventKind,
    EventMode,
    ImportKind,
    ImportStatus,
    InstitutionKind,
    ParticipationMechanism,
    PersonRole,
    State,
)
from ..fields import ChoiceLabelsMixin, LocalDayField
from ..querysets import (
    AgreementQuerySet,
    EventQuerySet,
    InstitutionQuerySet,
    PersonQuerySet,
    VideoCapsuleQuerySet,
)
from ..widgets import MultipleChooser


def validate_date_range(start, end, *, start_field: str, end_field: str, message) -> None:
    """Refuse a window whose end comes before its start."""
    if start and end and end < start:
        raise ValidationError({end_field: message})


def unique_slug(model, base: str, *, instance_pk=None, max_length: int = 80) -> str:
    """A slug for ``base`` not yet used by another row of ``model``."""
    root = (slugify(base) or "elemento")[: max_length - 6]
    candidate, n = root, 2
    qs = model._default_manager.all()
    if instance_pk:
        qs = qs.exclude(pk=instance_pk)
    while qs.filter(slug=candidate).exists():
        candidate, n = f"{root}-{n}", n + 1
    return candidate


class Region(models.Model):
    """A regional coordination of the SNT (Norte, Centro-Occidente, Centro, Sureste)."""

    name = models.CharField(_("nombre"), max_length=80, unique=True)
    slug = models.SlugField(_("identificador"), max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("order")]

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("región")
        verbose_name_plural = _("regiones")

    def __str__(self) -> str:
        return self.name


class Institution(ChoiceLabelsMixin, index.Indexed, ClusterableModel):
    """A member of the SNT: the national guarantor or a state órgano garante."""

    name = models.CharField(_("nombre"), max_length=255)
    acronym = models.CharField(
        _("siglas"), max_length=30, help_text=_("Únicas en la red, p. ej. INFOEM o ITEI.")
    )
    slug = models.SlugField(_("identificador en la URL"), max_length=80, unique=True, blank=True)
    kind = models.CharField(
        _("tipo"), max_length=20, choices=InstitutionKind.choices, default=InstitutionKind.STATE
    )
    state = models.CharField(
        _("entidad federativa"), max_length=5, choices=State.choices, blank=True,
        help_text=_("Vacía para el organismo nacional."),
    )
    region = models.ForeignKey(
        Region, verbose_name=_("región"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="institutions",
    )
    website = models.URLField(_("sitio web"), blank=True)
    email = models.EmailField(_("correo institucional"), blank=True)
    phone = models.CharField(_("teléfono"), max_length=40, blank=True)
    address = models.TextField(_("domicilio"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("logotipo"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    x_handle = models.CharField(_("cuenta de X"), max_length=50, blank=True,
                                help_text=_("Sin @, p. ej. INFOEM_mx"))
    facebook_url = models.URLField(_("Facebook"), blank=True)
    instagram_url = models.URLField(_("Instagram"), blank=True)
    youtube_url = models.URLField(_("YouTube"), blank=True)
    telegram_url = models.URLField(_("Telegram"), blank=True)
    valid_from = models.DateField(_("vigente desde"), null=True, blank=True)
    valid_until = models.DateField(
        _("vigente hasta"), null=True, blank=True,
        help_text=_("Fecha de extinción o sustitución. Vacía si sigue vigente."),
    )
    predecessors = models.ManyToManyField(
        "self", verbose_name=_("instituciones predecesoras"), symmetrical=False, blank=True,
        related_name="successors",
    )
    notes = models.TextField(_("notas"), blank=True)
    updated_at = models.DateTimeField(_("actualizada"), auto_now=True)

    objects = InstitutionQuerySet.as_manager()

    search_fields = [
        index.SearchField("name"),
        index.SearchField("acronym"),
        index.SearchField("search_text_unaccented"),  # PostgreSQL keeps accents: hub.search
        index.AutocompleteField("name"),
        index.AutocompleteField("acronym"),
        index.FilterField("id"),  # officers' listing is scoped by id, then searched
        index.FilterField("region"),
        index.FilterField("state"),
        index.FilterField("kind"),
    ]

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldRowPanel([FieldPanel("acronym"), FieldPanel("slug")]),
                FieldRowPanel([FieldPanel("kind"), FieldPanel("state"), FieldPanel("region")]),
                FieldPanel("logo"),
            ],
            heading=_("Identidad"),
        ),
        MultiFieldPanel(
            [FieldPanel("website"), FieldRowPanel([FieldPanel("email"), FieldPanel("phone")]),
             FieldPanel("address")],
            heading=_("Contacto institucional"),
        ),
        MultiFieldPanel(
            [FieldPanel("x_handle"), FieldPanel("facebook_url"), FieldPanel("instagram_url"),
             FieldPanel("youtube_url"), FieldPanel("telegram_url")],
            heading=_("Redes sociales"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_until")]),
             FieldPanel("predecessors"), FieldPanel("notes")],
            heading=_("Vigencia e historia"),
        ),
    ]

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("institución")
        verbose_name_plural = _("instituciones")
        constraints = [
            models.UniqueConstraint(
                Lower("acronym"), name="institution_acronym_unique_ci",
                violation_error_message=_("Ya existe una institución con esas siglas."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.acronym} — {self.name}"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        started = self.valid_from is None or self.valid_from <= today
        return started and (self.valid_until is None or self.valid_until >= today)

    def get_absolute_url(self) -> str:
        return reverse("network:institution", kwargs={"slug": self.slug})

    def search_text_unaccented(self) -> str:
        return unaccent(f"{self.name} {self.acronym} {self.get_state_display()}")

    def clean(self) -> None:
        super().clean()
        self.acronym = (self.acronym or "").strip()
        self.name = (self.name or "").strip()
        if self.acronym:
            clash = Institution.objects.filter(acronym__iexact=self.acronym).exclude(pk=self.pk)
            if clash.exists():
                raise ValidationError(
                    {"acronym": _("Ya existe una institución con las siglas «%(acronym)s».")
                     % {"acronym": self.acronym}}
                )
        validate_date_range(
            self.valid_from, self.valid_until, start_field="valid_from", end_field="valid_until",
            message=_("La fecha de fin de vigencia no puede ser anterior a la de inicio."),
        )
        if self.kind == InstitutionKind.STATE and not self.state:
            raise ValidationError({"state": _("Un órgano garante estatal necesita su entidad.")})
        if self.x_handle:
            self.x_handle = self.x_handle.lstrip("@").strip()
        if self.logo_id:
            from network.domain.images import validate_logo

            validate_logo(self.logo)

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Institution, self.acronym or self.name, instance_pk=self.pk)
        super().save(*args, **kwargs)


class Person(ChoiceLabelsMixin, index.Indexed, models.Model):
    """A commissioner or a communications contact; the contacts form the Red de Vinculación.

    Only the name, position and institution may ever be public, and each contact field is
    shown publicly only where its own ``*_public`` flag says so.
    """

    name = models.CharField(_("nombre completo"), max_length=200)
    institution = models.ForeignKey(
        Institution, verbose_name=_("institución"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="people",
    )
    role = models.CharField(_("función"), max_length=20, choices=PersonRole.choices,
                            default=PersonRole.COMMUNICATIONS)
    position = models.CharField(_("cargo"), max_length=200, blank=True)
    email = models.EmailField(_("correo electrónico"), blank=True)
    phone = models.CharField(_("teléfono"), max_length=40, blank=True)
    telegram_handle = models.CharField(_("usuario de Telegram"), max_length=64, blank=True,
                                       help_text=_("Sin @"))
    telegram_chat_id = models.CharField(_("chat id de Telegram"), max_length=32, blank=True)
    in_network = models.BooleanField(
        _("integra la Red de Vinculación"), default=True,
        help_text=_("Recibe las solicitudes de amplificación de la red."),
    )
    is_public = models.BooleanField(
        _("perfil público"), default=False,
        help_text=_("Muestra nombre, cargo e institución en el sitio público."),
    )
    email_public = models.BooleanField(_("correo público"), default=False)
    phone_public = models.BooleanField(_("teléfono público"), default=False)
    telegram_public = models.BooleanField(_("Telegram público"), default=False)
    active = models.BooleanField(_("activo"), default=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    objects = PersonQuerySet.as_manager()

    search_fields = [
        index.SearchField("name"),
        index.SearchField("position"),
        index.SearchField("email"),
        index.AutocompleteField("name"),
        index.FilterField("institution"),
        index.FilterField("role"),
        index.FilterField("in_network"),
    ]

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldRowPanel([FieldPanel("institution"), FieldPanel("role")]),
             FieldPanel("position"), FieldPanel("active")],
            heading=_("Persona"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("email"), FieldPanel("phone")]),
             FieldRowPanel([FieldPanel("telegram_handle"), FieldPanel("telegram_chat_id")]),
             FieldPanel("in_network")],
            heading=_("Datos de contacto (datos personales)"),
        ),
        MultiFieldPanel(
            [FieldPanel("is_public"), FieldPanel("email_public"), FieldPanel("phone_public"),
             FieldPanel("telegram_public")],
            heading=_("Qué se muestra en el sitio público"),
            help_text=_("Por defecto nada es público. Marque solo lo que la persona autorizó."),
        ),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("persona de contacto")
        verbose_name_plural = _("personas de contacto")

    def __str__(self) -> str:
        org = f" ({self.institution.acronym})" if self.institution_id else ""
        return f"{self.name}{org}"

    def clean(self) -> None:
        super().clean()
        self.name = (self.name or "").strip()
        self.telegram_handle = (self.telegram_handle or "").lstrip("@").strip()
        if self.email_public and not self.email:
            raise ValidationError({"email_public": _("No hay correo que publicar.")})
        if self.phone_public and not self.phone:
            raise ValidationError({"phone_public": _("No hay teléfono que publicar.")})
        if self.telegram_public and not self.telegram_handle:
            raise ValidationError({"telegram_public": _("No hay usuario de Telegram que publicar.")})
        if self.telegram_chat_id and not self.telegram_chat_id.lstrip("-").isdigit():
            raise ValidationError({"telegram_chat_id": _("El chat id de Telegram es un número.")})

    def public_contact(self) -> dict[str, str]:
        """The contact fields this person agreed to show publicly."""
        shown = {}
        if self.email_public and self.email:
            shown["email"] = self.email
        if self.phone_public and self.phone:
            shown["phone"] = self.phone
        if self.telegram_public and self.telegram_handle:
            shown["telegram"] = self.telegram_handle
        return shown


class StaffProfile(models.Model):
    """Ties a staff user to the institution they act for (officers of the Comunicación group)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("usuario"),
                                on_delete=models.CASCADE, related_name="staff_profile")
    institution = models.ForeignKey(Institution, verbose_name=_("institución"),
                                    on_delete=models.CASCADE, related_name="staff")

    panels = [FieldPanel("user"), FieldPanel("institution")]

    class Meta:
        verbose_name = _("adscripción de usuario")
        verbose_name_plural = _("adscripciones de usuarios")

    def __str__(self) -> str:
        return f"{self.user} → {self.institution.acronym}"


class Commission(ClusterableModel):
    """A thematic commission (comisión temática) of the SNT."""

    name = models.CharField(_("nombre"), max_length=255, unique=True)
    short_name = models.CharField(_("nombre corto"), max_length=80, blank=True)
    slug = models.SlugField(_("identificador"), max_length=80, unique=True, blank=True)
    description = models.TextField(_("descripción"), blank=True)
    updated_at = models.DateTimeField(_("actualizada"), auto_now=True)

    panels = [
        FieldPanel("name"), FieldPanel("short_name"), FieldPanel("slug"),
        FieldPanel("description"),
        InlinePanel("memberships", heading=_("Integrantes"), label=_("Integrante")),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("comisión")
        verbose_name_plural = _("comisiones")

    def __str__(self) -> str:
        return self.short_name or self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Commission, self.short_name or self.name, instance_pk=self.pk)
        super().save(*args, **kwargs)


class CommissionMembership(models.Model):
    commission = ParentalKey(Commission, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, verbose_name=_("persona"), on_delete=models.CASCADE,
                               related_name="commission_memberships")
    role = models.CharField(_("función"), max_length=20, choices=CommissionRole.choices,
                            default=CommissionRole.MEMBER)
    since = models.DateField(_("desde"), null=True, blank=True)

    panels = [FieldPanel("person"), FieldPanel("role"), FieldPanel("since")]

    class Meta:
        verbose_name = _("integrante de comisión")
        verbose_name_plural = _("integrantes de comisión")
        constraints = [
            models.UniqueConstraint(fields=["commission", "person"], name="commission_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}"


class Ally(ChoiceLabelsMixin, index.Indexed, ClusterableModel):
    """A strategic ally: civil society, academia, business, media or a journalist."""

    name = models.CharField(_("nombre"), max_length=255)
    sector = models.CharField(_("sector"), max_length=20, choices=AllySector.choices)
    state = models.CharField(_("entidad federativa"), max_length=5, choices=State.choices,
                             blank=True, help_text=_("Vacía si su alcance es nacional."))
    website = models.URLField(_("sitio web"), blank=True)
    email = models.EmailField(_("correo"), blank=True)
    phone = models.CharField(_("teléfono"), max_length=40, blank=True)
    notes = models.TextField(_("notas"), blank=True)
    institutions = ParentalManyToManyField(
        Institution, verbose_name=_("instituciones con las que colabora"), blank=True,
        related_name="allies",
    )
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("notes"),
        index.FilterField("sector"),
        index.FilterField("state"),
    ]

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("sector"), FieldPanel("state")]),
        FieldPanel("website"),
        FieldRowPanel([FieldPanel("email"), FieldPanel("phone")]),
        FieldPanel("institutions"),
        FieldPanel("notes"),
        InlinePanel("contacts", heading=_("Personas de contacto"), label=_("Contacto")),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("aliado")
        verbose_name_plural = _("aliados")

    def __str__(self) -> str:
        return self.name


class AllyContact(models.Model):
    ally = ParentalKey(Ally, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("nombre"), max_length=200)
    position = models.CharField(_("cargo"), max_length=200, blank=True)
    email = models.EmailField(_("correo"), blank=True)
    phone = models.CharField(_("teléfono"), max_length=40, blank=True)

    panels = [FieldPanel("name"), FieldPanel("position"), FieldPanel("email"), FieldPanel("phone")]

    class Meta:
        verbose_name = _("contacto de aliado")
        verbose_name_plural = _("contactos de aliados")

    def __str__(self) -> str:
        return self.name


class Agreement(ChoiceLabelsMixin, index.Indexed, ClusterableModel):
    """A collaboration agreement (convenio) between network members and allies."""

    title = models.CharField(_("título"), max_length=255)
    object = models.TextField(_("objeto"))
    obligations = models.TextField(_("obligaciones de las partes"), blank=True)
    institutions = ParentalManyToManyField(
        Institution, verbose_name=_("instituciones firmantes"), blank=True,
        related_name="agreements",
    )
    allies = ParentalManyToManyField(Ally, verbose_name=_("aliados firmantes"), blank=True,
                                     related_name="agreements")
    other_parties = models.CharField(_("otras partes"), max_length=255, blank=True)
    # A convenio with a municipality (Modelo Regional de Transparencia Municipal): the
    # municipality is a party; its hoja de ruta is started from here (network.domain.roadmaps).
    municipality = models.CharField(
        _("municipio"), max_length=150, blank=True,
        help_text=_("Si el convenio es con un municipio, su nombre (p. ej. Metepec)."),
    )
    municipality_state = models.CharField(
        _("entidad del municipio"), max_length=5, choices=State.choices, blank=True,
    )
    responsible = ParentalManyToManyField(
        Person, verbose_name=_("personas responsables del seguimiento"), blank=True,
        related_name="agreements_watched",
        help_text=_("Reciben el aviso antes del vencimiento."),
    )
    signed_on = models.DateField(_("fecha de firma"), null=True, blank=True)
    valid_from = models.DateField(_("vigente desde"), null=True, blank=True)
    valid_until = models.DateField(_("vence el"), null=True, blank=True)
    status = models.CharField(_("estatus"), max_length=20, choices=AgreementStatus.choices,
                              default=AgreementStatus.IN_FORCE)
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("documento firmado"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    is_public = models.BooleanField(_("publicar en datos abiertos"), default=True)
    reminder_sent_for = models.DateField(
        _("aviso de vencimiento enviado para"), null=True, blank=True, editable=False,
        help_text=_("La fecha de vencimiento para la que ya se envió el aviso."),
    )
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    objects = AgreementQuerySet.as_manager()

    search_fields = [
        index.SearchField("title"),
        index.SearchField("object"),
        index.AutocompleteField("title"),
        index.FilterField("status"),
        index.FilterField("valid_until"),
    ]

    panels = [
        FieldPanel("title"), FieldPanel("object"), FieldPanel("obligations"),
        MultiFieldPanel([FieldPanel("institutions"), FieldPanel("allies"),
                         FieldPanel("other_parties"),
                         FieldRowPanel([FieldPanel("municipality"),
                                        FieldPanel("municipality_state")])],
                        heading=_("Partes")),
        FieldPanel("responsible", heading=_("Contrapartes responsables del seguimiento"),
                   widget=MultipleChooser(Person, choose_label=_("Elegir contactos"))),
        MultiFieldPanel([FieldRowPanel([FieldPanel("signed_on"), FieldPanel("valid_from"),
                                        FieldPanel("valid_until")]),
                         FieldPanel("status")], heading=_("Fechas y estatus")),
        FieldPanel("document"), FieldPanel("is_public"),
    ]

    class Meta:
        ordering = ["-signed_on", "title"]
        verbose_name = _("convenio")
        verbose_name_plural = _("convenios")

    def __str__(self) -> str:
        return self.title

    @property
    def is_expired(self) -> bool:
        """Recorded as in force but past its end date (the rule of ``expired()``)."""
        return (
            self.status in AgreementStatus.active()
            and self.valid_until is not None
            and self.valid_until < timezone.localdate()
        )

    @property
    def standing(self) -> AgreementStanding:
        """The status people see everywhere: the recorded one, unless the dates ended it."""
        if self.is_expired:
            return AgreementStanding.EXPIRED
        return AgreementStanding(self.status)

    def get_standing_display(self) -> str:
        return self.standing.label

    @property
    def parties_display(self) -> str:
        names = getattr(self, "party_names", None)  # read ahead for a list (network.display)
        if names is None:
            names = ([i.acronym for i in self.institutions.all()]
                     + [a.name for a in self.allies.all()])
        names = list(names)
        if self.municipality:
            names.append(_("Municipio de %(name)s") % {"name": self.municipality})
        if self.other_parties:
            names.append(self.other_parties)
        return ", ".join(names)

    def clean(self) -> None:
        super().clean()
        validate_date_range(
            self.valid_from, self.valid_until, start_field="valid_from", end_field="valid_until",
            message=_("La fecha de vencimiento no puede ser anterior al inicio de la vigencia."),
        )
        validate_date_range(
            self.signed_on, self.valid_until, start_field="signed_on", end_field="valid_until",
            message=_("La fecha de vencimiento no puede ser anterior a la firma."),
        )
        self.municipality = (self.municipality or "").strip()
        if self.municipality and not self.municipality_state:
            raise ValidationError(
                {"municipality_state": _("Indique la entidad federativa del municipio.")})


class Event(
    ChoiceLabelsMixin, PreviewableMixin, DraftStateMixin, RevisionMixin, index.Indexed,
    ClusterableModel,
):
    """A conversatorio, master class, round table, forum or training of the network."""

    title = models.CharField(_("título"), max_length=255)
    slug = models.SlugField(_("identificador en la URL"), max_length=100, unique=True, blank=True)
    kind = models.CharField(_("tipo"), max_length=20, choices=EventKind.choices,
                            default=EventKind.CONVERSATORIO)
    summary = models.CharField(_("resumen"), max_length=300, blank=True)
    description = RichTextField(_("descripción"), blank=True,
                                features=["bold", "italic", "link", "ol", "ul", "h3"])
    starts_at = models.DateTimeField(_("inicia"))
    # The Mexico City day of starts_at, kept by Django on every write: the month grid groups
    # and ranks events by it in the database (indexed in Meta.indexes).
    starts_on = LocalDayField(_("día de inicio (hora del centro)"), source="starts_at")
    ends_at = models.DateTimeField(_("termina"), null=True, blank=True)
    mode = models.CharField(_("modalidad"), max_length=20, choices=EventMode.choices,
                            default=EventMode.IN_PERSON)
    venue = models.CharField(_("sede"), max_length=255, blank=True)
    state = models.CharField(_("entidad federativa"), max_length=5, choices=State.choices,
                             blank=True)
    online_url = models.URLField(_("enlace de transmisión o reunión"), blank=True)
    registration_url = models.URLField(_("enlace de registro"), blank=True)
    audience = models.CharField(_("público al que se dirige"), max_length=255, blank=True)
    organizers = ParentalManyToManyField(
        Institution, verbose_name=_("instituciones organizadoras"), blank=True,
        related_name="events",
    )
    commission = models.ForeignKey(
        Commission, verbose_name=_("comisión"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="events",
    )
    # Participation (network/models/participation.py holds registrations and surveys).
    mechanism = models.CharField(
        _("mecanismo de participación"), max_length=30, choices=ParticipationMechanism.choices,
        blank=True, help_text=_("Para los indicadores de participación ciudadana."),
    )
    registration_enabled = models.BooleanField(
        _("registro en Enlace"), default=False,
        help_text=_("Muestra el formulario de registro en la página del evento."),
    )
    capacity = models.PositiveIntegerField(
        _("cupo"), null=True, blank=True,
        help_text=_("Lugares disponibles. Vacío: sin límite. Al llenarse, lista de espera."),
    )
    registration_deadline = models.DateTimeField(
        _("cierre del registro"), null=True, blank=True,
        help_text=_("Vacío: hasta que empiece el evento."),
    )
    # Feeds derive their ETag and Last-Modified from max(updated_at) and a count.
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True, db_index=True)

    objects = EventQuerySet.as_manager()

    search_fields = [
        index.SearchField("title"),
        index.SearchField("summary"),
        index.SearchField("search_text_unaccented"),
        index.AutocompleteField("title"),
        index.FilterField("id"),  # officers' listing is scoped by id, then searched
        index.FilterField("kind"),
        index.FilterField("starts_at"),
        index.FilterField("live"),
    ]

    panels = [
        FieldPanel("title"), FieldPanel("slug"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("mode")]),
        FieldPanel("summary"), FieldPanel("description"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldRowPanel([FieldPanel("venue"), FieldPanel("state")]),
        FieldPanel("online_url"), FieldPanel("registration_url"), FieldPanel("audience"),
        FieldPanel("organizers"), FieldPanel("commission"),
        MultiFieldPanel(
            [FieldPanel("mechanism"), FieldPanel("registration_enabled"),
             FieldRowPanel([FieldPanel("capacity"), FieldPanel("registration_deadline")])],
            heading=_("Participación y registro"),
        ),
        PublishingPanel(),
    ]

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            # Upcoming events in start order (the calendar list, feeds): read in index order
            # and filtered on the index alone, without a sort of the whole table.
            models.Index(fields=["starts_at", "ends_at", "live"], name="network_event_time_idx"),
            # The month grid: events of a range of Mexico City days, ranked and counted per
            # day from the index alone.
            models.Index(fields=["starts_on", "starts_at", "ends_at", "live"],
                         name="network_event_day_idx"),
        ]
        verbose_name = _("evento")
        verbose_name_plural = _("eventos")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("network:event", kwargs={"slug": self.slug})

    def search_text_unaccented(self) -> str:
        return unaccent(f"{self.title} {self.summary} {self.venue}")

    @property
    def local_start(self) -> dt.datetime:
        return timezone.localtime(self.starts_at)

    def is_past(self, now: dt.datetime | None = None) -> bool:
        """Over: its end (or, without one, its start) has gone by. Same rule as ``past()``."""
        now = now or timezone.now()
        return (self.ends_at or self.starts_at) < now

    @property
    def registration_open(self) -> bool:
        """Whether the public page offers *Registrarse*: a link, and the event not over."""
        return bool(self.registration_url) and not self.is_past()

    def accepts_registrations(self, now: dt.datetime | None = None) -> bool:
        """Enlace's own registration form is open: enabled, not started, before the deadline."""
        now = now or timezone.now()
        closes = self.registration_deadline or self.starts_at
        return self.registration_enabled and now < min(closes, self.starts_at)

    def get_preview_template(self, request, mode_name):
        return "network/event.html"

    def get_preview_context(self, request, mode_name):
        return {**super().get_preview_context(request, mode_name), "event": self}

    def clean(self) -> None:
        super().clean()
        validate_date_range(
            self.starts_at, self.ends_at, start_field="starts_at", end_field="ends_at",
            message=_("El evento no puede terminar antes de empezar."),
        )
        if self.mode in (EventMode.ONLINE, EventMode.HYBRID) and not self.online_url:
            raise ValidationError({"online_url": _("Un evento en línea necesita su enlace.")})
        if self.mode in (EventMode.IN_PERSON, EventMode.HYBRID) and not self.venue:
            raise ValidationError({"venue": _("Un evento presencial necesita su sede.")})
        if (self.registration_deadline and self.starts_at
                and self.registration_deadline > self.starts_at):
            raise ValidationError({"registration_deadline": _(
                "El registro debe cerrar antes de que empiece el evento.")})
        if self.capacity == 0:
            raise ValidationError({"capacity": _("El cupo debe ser de al menos una persona.")})

    def save(self, *args, **kwargs):
        if not self.slug:
            stamp = timezone.localtime(self.starts_at).strftime("%Y-%m-%d") if self.starts_at else ""
            self.slug = unique_slug(Event, f"{self.title} {stamp}", instance_pk=self.pk,
                                    max_length=100)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "starts_at" in update_fields:
            kwargs["update_fields"] = {*update_fields, "starts_on"}
        super().save(*args, **kwargs)


class VideoCapsule(
    ChoiceLabelsMixin, PreviewableMixin, DraftStateMixin, RevisionMixin, index.Indexed,
    models.Model,
):
    """A short video of a commissioner's action (micro-site of the work plan, Eje I)."""

    title = models.CharField(_("título"), max_length=255)
    slug = models.SlugField(_("identificador en la URL"), max_length=100, unique=True, blank=True)
    summary = models.TextField(_("descripción breve"), blank=True)
    institution = models.ForeignKey(
        Institution, verbose_name=_("institución"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="capsules",
    )
    commission = models.ForeignKey(
        Commission, verbose_name=_("comisión"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="capsules",
    )
    state = models.CharField(_("entidad federativa"), max_length=5, choices=State.choices,
                             blank=True)
    people = models.ManyToManyField(Person, verbose_name=_("participan"), blank=True,
                                    related_name="capsules")
    recorded_on = models.DateField(_("fecha"), null=True, blank=True)
    video_url = models.URLField(
        _("video en YouTube o Vimeo"), blank=True,
        help_text=_("Dirección pública del video. O bien suba el archivo abajo."),
    )
    video_file = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("archivo de video (MP4)"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    thumbnail = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("miniatura"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    transcript = models.TextField(_("transcripción"), blank=True,
                                  help_text=_("Texto del video, para accesibilidad."))

    objects = VideoCapsuleQuerySet.as_manager()

    search_fields = [
        index.SearchField("title"),
        index.SearchField("summary"),
        index.SearchField("search_text_unaccented"),
        index.AutocompleteField("title"),
        index.FilterField("institution"),  # officers' listing is scoped by institution
        index.FilterField("state"),
        index.FilterField("live"),
    ]

    panels = [
        FieldPanel("title"), FieldPanel("slug"), FieldPanel("summary"),
        FieldRowPanel([FieldPanel("institution"), FieldPanel("commission"), FieldPanel("state")]),
        FieldPanel("people", widget=MultipleChooser(Person, choose_label=_("Elegir contactos"))),
        FieldPanel("recorded_on"),
        MultiFieldPanel([FieldPanel("video_url"), FieldPanel("video_file"),
                         FieldPanel("thumbnail")], heading=_("Video")),
        FieldPanel("transcript"),
        PublishingPanel(),
    ]

    class Meta:
        ordering = ["-recorded_on", "title"]
        verbose_name = _("cápsula de video")
        verbose_name_plural = _("cápsulas de video")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(VideoCapsule, self.title, instance_pk=self.pk, max_length=100)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("network:capsule", kwargs={"slug": self.slug})

    def search_text_unaccented(self) -> str:
        return unaccent(f"{self.title} {self.summary}")

    def embed_code(self) -> str:
        """The ``<iframe>`` partner sites paste, every value escaped."""
        if not self.slug:  # a preview before the first save has no address yet
            return ""
        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        return format_html(
            '<iframe src="{}" width="560" height="315" title="{}" allowfullscreen></iframe>',
            f"{base}{reverse('network:capsule_embed', kwargs={'slug': self.slug})}",
            self.title,
        )

    def get_preview_template(self, request, mode_name):
        return "network/capsule.html"

    def get_preview_context(self, request, mode_name):
        return {**super().get_preview_context(request, mode_name), "capsule": self}

    @property
    def embed_src(self) -> str:
        from network.domain.video import embed_src

        return embed_src(self.video_url)

    def clean(self) -> None:
        super().clean()
        from network.domain.video import embed_src

        if not self.video_url and not self.video_file_id:
            raise ValidationError(_("Indique la dirección del video o suba el archivo."))
        if self.video_url and not embed_src(self.video_url):
            raise ValidationError(
                {"video_url": _("Use una dirección de YouTube o Vimeo, p. ej. "
                                "https://www.youtube.com/watch?v=…")}
            )
        if self.institution_id and not self.state:
            self.state = self.institution.state



class ImportRecord(models.Model):
    """What every bulk import keeps: previewed rows or per-row errors, then applied whole or
    not at all, once (the network's ``ImportBatch``; hub's quarterly statistics uploads)."""

    status = models.CharField(_("estado"), max_length=20, choices=ImportStatus.choices,
                              default=ImportStatus.PREVIEW)
    filename = models.CharField(_("archivo"), max_length=255)
    rows = models.JSONField(_("filas"), default=list)
    errors = models.JSONField(_("errores"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)
    applied_at = models.DateTimeField(_("aplicada"), null=True, blank=True)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["-created_at"]


class ImportBatch(ImportRecord):
    """One bulk import of contacts or allies: previewed, then applied whole or not at all."""

    kind = models.CharField(_("tipo"), max_length=20, choices=ImportKind.choices)

    class Meta(ImportRecord.Meta):
        verbose_name = _("importación")
        verbose_name_plural = _("importaciones")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.filename}"


# Feature modules come after the models they name.
from .agendas import ActionLine, AgendaObjective, FollowUp, JointAgenda  # noqa: E402, F401
from .participation import Registration, SurveyResponse  # noqa: E402, F401
from .roadmaps import Milestone, MilestoneReminder, Roadmap, RoadmapTool  # noqa: E402, F401
