"""Demo of participation: past events of several mechanisms with attendance and survey
answers, and an upcoming one open for registration. Idempotent (events found by slug)."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from network.enums import EventKind, EventMode, ParticipationMechanism, RegistrationStatus
from network.models import Event, Institution, Registration, SurveyResponse

from .demo import FIRST, LAST

M = ParticipationMechanism
# (slug, title, mechanism, kind, organiser, days from now, people, capacity)
EVENTS = [
    ("demo-capacitacion-solicitudes", "Capacitación: cómo presentar una solicitud de información",
     M.TRAINING, EventKind.TRAINING, "INFOEM", -40, 24, 30),
    ("demo-mesa-dialogo-archivos", "Mesa de diálogo: archivos municipales abiertos",
     M.DIALOGUE, EventKind.ROUNDTABLE, "ITEI", -25, 15, None),
    ("demo-audiencia-publica-salud", "Audiencia pública sobre transparencia en salud",
     M.PUBLIC_HEARING, EventKind.FORUM, "INFOEM", -10, 30, None),
    ("demo-consulta-publica-datos", "Consulta pública: datos abiertos de obra pública",
     M.PUBLIC_CONSULTATION, EventKind.FORUM, "ITEI", -5, 12, None),
    ("demo-capacitacion-datos-personales",
     "Capacitación en protección de datos personales (con registro)",
     M.TRAINING, EventKind.TRAINING, "INFOEM", 12, 8, 20),
]


@transaction.atomic
def build_participation_demo(*, seed: int = 14, now: dt.datetime | None = None) -> int:
    """Create the demo events that are missing. Returns how many were created."""
    rng = random.Random(seed)
    now = now or timezone.now()
    created = 0
    for slug, title, mechanism, kind, acronym, days, people, capacity in EVENTS:
        if Event.objects.filter(slug=slug).exists():
            continue
        institution = Institution.objects.filter(acronym=acronym).first()
        starts = (now + dt.timedelta(days=days)).replace(hour=17, minute=0, second=0,
                                                         microsecond=0)
        event = Event.objects.create(
            slug=slug, title=title, kind=kind, mechanism=mechanism, mode=EventMode.IN_PERSON,
            venue="Auditorio del órgano garante", starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2), summary=title, live=True,
            registration_enabled=True, capacity=capacity,
            registration_deadline=starts - dt.timedelta(hours=12) if days > 0 else None,
        )
        if institution:
            event.organizers.set([institution])
        for n in range(people):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            past = days < 0
            came = past and rng.random() < 0.8
            registration = Registration.objects.create(
                event=event, name=name, email=f"persona{n}.{slug}@ejemplo.mx",
                status=RegistrationStatus.CONFIRMED, consent_at=now, attended=came,
                survey_claimed_at=now if came else None, survey_sent_at=now if came else None,
            )
            if came and rng.random() < 0.6:
                SurveyResponse.objects.create(registration=registration,
                                              rating=rng.choice([3, 4, 4, 5, 5]))
        created += 1
    return created
