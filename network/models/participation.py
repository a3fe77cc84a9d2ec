"""Participation in events: registrations (with waiting list and attendance) and the
satisfaction survey answered after the event. Personal data: never public, never in open
data; in the admin only Coordinación and officers of an organising institution see it
(``network.rules.can_manage_registrations``). Decisions live in
``network/domain/participation.py``."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..enums import RegistrationStatus


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=RegistrationStatus.active())

    def confirmed(self):
        return self.filter(status=RegistrationStatus.CONFIRMED)

    def waiting(self):
        """The waiting list in the order people joined it."""
        return self.filter(status=RegistrationStatus.WAITLISTED).order_by("created_at", "pk")

    def attended(self):
        return self.filter(attended=True)

    def in_scope_of(self, user):
        """Registrations of events an officer's institution organises (Coordinación: all)."""
        from network import rules

        if rules.is_coordinator(user):
            return self
        own = rules.officer_institution_id(user) if rules.is_officer(user) else None
        if own is None:
            return self.none()
        from network.models import Event

        return self.filter(event__in=Event.objects.filter(organizers=own).values("pk"))


class Registration(models.Model):
    """One person's place at an event: registered online, or a walk-in recorded on the day."""

    event = models.ForeignKey("network.Event", verbose_name=_("evento"),
                              on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("nombre completo"), max_length=200)
    email = models.EmailField(_("correo electrónico"), max_length=254, blank=True,
                              help_text=_("Se guarda en minúsculas."))
    organization = models.CharField(_("organización o institución"), max_length=200,
                                    blank=True)
    status = models.CharField(_("estado"), max_length=20, choices=RegistrationStatus.choices,
                              default=RegistrationStatus.CONFIRMED)
    walk_in = models.BooleanField(_("registrada el día del evento"), default=False)
    attended = models.BooleanField(_("asistió"), default=False)
    consent_at = models.DateTimeField(_("aceptó el aviso de privacidad"), null=True, blank=True)
    # The language the person registered in: their e-mails (confirmation, place freed,
    # reminder, survey) go out in it. Empty: the site's default language.
    language = models.CharField(_("idioma de los correos"), max_length=8, blank=True,
                                default="", editable=False)
    created_at = models.DateTimeField(_("registrada"), auto_now_add=True)
    promoted_at = models.DateTimeField(_("pasó de la lista de espera"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelada"), null=True, blank=True)
    # Open data's version: bulk updates set it explicitly.
    updated_at = models.DateTimeField(_("actualizada"), auto_now=True, db_index=True)
    # The survey mail: claimed (a job took it) then sent. Claimed and never sent means the
    # process died in between: never resent automatically (no one gets it twice).
    survey_claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    survey_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["event", "created_at", "pk"]
        verbose_name = _("registro a evento")
        verbose_name_plural = _("registros a eventos")
        constraints = [
            # One live registration per e-mail and event, whatever the race.
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=Q(status__in=RegistrationStatus.active()) & ~Q(email=""),
                name="registration_one_per_email",
                violation_error_message=_("Ese correo ya está registrado en este evento."),
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.name} — {self.event}"

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        self.name = (self.name or "").strip()
        super().save(*args, **kwargs)

    def is_in_scope_of(self, user) -> bool:
        """``network.rules`` asks this: an officer of one of the event's organisers."""
        from network import rules

        own = rules.officer_institution_id(user)
        return own is not None and self.event.organizers.filter(pk=own).exists()


class SurveyResponse(models.Model):
    """The satisfaction survey of one attendee: answered once (one row per registration)."""

    registration = models.OneToOneField(Registration, verbose_name=_("registro"),
                                        on_delete=models.CASCADE, related_name="survey")
    rating = models.PositiveSmallIntegerField(
        _("satisfacción"), validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("De 1 (nada satisfecho) a 5 (muy satisfecho)."),
    )
    comments = models.TextField(_("comentarios"), max_length=2000, blank=True)
    answered_at = models.DateTimeField(_("respondida"), auto_now_add=True)

    class Meta:
        ordering = ["-answered_at"]
        verbose_name = _("respuesta de encuesta de satisfacción")
        verbose_name_plural = _("respuestas de encuestas de satisfacción")
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1) & Q(rating__lte=5),
                                   name="survey_rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5 — {self.registration.event}"
