"""Demo and benchmark content for the network. Deterministic for a given seed."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone
from wagtail.search.backends import get_search_backend

from network.enums import AgreementStatus, AllySector, EventKind, EventMode, PersonRole
from network.models import Agreement, Ally, AllyContact, Commission, Event, Institution, Person

FIRST = ["María", "José", "Guadalupe", "Juan", "Fernanda", "Luis", "Ana", "Carlos", "Sofía",
         "Miguel", "Valeria", "Jorge", "Daniela", "Ricardo", "Lucía", "Alejandro", "Paola",
         "Héctor", "Ximena", "Rodrigo"]
LAST = ["Hernández", "García", "Martínez", "López", "González", "Pérez", "Rodríguez",
        "Sánchez", "Ramírez", "Cruz", "Flores", "Gómez", "Morales", "Vázquez", "Reyes",
        "Jiménez", "Torres", "Díaz", "Ruiz", "Mendoza"]
TOPICS = ["acceso a la información", "protección de datos personales", "gobierno abierto",
          "rendición de cuentas", "archivos", "transparencia proactiva", "datos abiertos",
          "participación ciudadana"]
EVENT_TITLES = {
    EventKind.CONVERSATORIO: "Conversatorio: {t} en lo local",
    EventKind.MASTER_CLASS: "Clase magistral sobre {t}",
    EventKind.ROUNDTABLE: "Mesa de análisis: retos de {t}",
    EventKind.FORUM: "Foro regional de {t}",
    EventKind.TRAINING: "Capacitación en {t} para sujetos obligados",
    EventKind.SEMINAR: "Seminario de {t}",
}


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)} {rng.choice(LAST)}"


@transaction.atomic
def populate(*, contacts: int = 80, events: int = 40, agreements: int = 12, allies: int = 15,
             seed: int = 2026, now: dt.datetime | None = None) -> dict[str, int]:
    """Add demo rows in bulk. Returns how many of each were created."""
    rng = random.Random(seed)
    now = now or timezone.now()
    institutions = list(Institution.objects.current().order_by("pk"))
    commissions = list(Commission.objects.order_by("pk"))
    offset = Person.objects.count()

    people = []
    for n in range(contacts):
        inst = institutions[n % len(institutions)]
        role = PersonRole.COMMUNICATIONS if n % 3 else PersonRole.COMMISSIONER
        public = n % 4 == 0
        people.append(Person(
            name=_name(rng), institution=inst, role=role,
            position="Titular de Comunicación Social" if role == PersonRole.COMMUNICATIONS
            else "Comisionada(o)",
            email=f"contacto{offset + n}@{inst.slug}.example.org",
            phone=f"55 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}",
            telegram_handle=f"enlace_{offset + n}",
            in_network=role == PersonRole.COMMUNICATIONS,
            is_public=public, email_public=public and n % 8 == 0,
        ))
    Person.objects.bulk_create(people, batch_size=1000)

    ally_rows = []
    for n in range(allies):
        sector = list(AllySector)[n % len(AllySector)]
        ally_rows.append(Ally(name=f"{sector.label} demo {Ally.objects.count() + n + 1}",
                              sector=sector, state=institutions[n % len(institutions)].state,
                              email=f"aliado{n}@example.org"))
    Ally.objects.bulk_create(ally_rows)
    AllyContact.objects.bulk_create(
        [AllyContact(ally=a, name=_name(rng), position="Dirección") for a in ally_rows]
    )

    event_rows, organizer_links = [], []
    kinds = list(EVENT_TITLES)
    for n in range(events):
        kind = kinds[n % len(kinds)]
        inst = institutions[n % len(institutions)]
        day_offset = (n * 37 + 50) % 150 - 45  # from 45 days ago to ~3.5 months ahead
        start = (now + dt.timedelta(days=day_offset)).astimezone(
            timezone.get_current_timezone()).replace(hour=10 + n % 8, minute=0, second=0,
                                                     microsecond=0)
        mode = [EventMode.IN_PERSON, EventMode.ONLINE, EventMode.HYBRID][n % 3]
        event_rows.append(Event(
            title=EVENT_TITLES[kind].format(t=rng.choice(TOPICS)) + f" ({inst.acronym})",
            slug=f"evento-{Event.objects.count() + n + 1}",
            kind=kind, mode=mode, starts_at=start, ends_at=start + dt.timedelta(hours=2),
            summary="Actividad de la red del Sistema Nacional de Transparencia.",
            venue="" if mode == EventMode.ONLINE else f"Auditorio de {inst.acronym}",
            state=inst.state,
            online_url="" if mode == EventMode.IN_PERSON else "https://example.org/transmision",
            registration_url="https://example.org/registro",
            audience="Personas servidoras públicas y ciudadanía",
            commission=commissions[n % len(commissions)] if commissions else None,
            live=True, has_unpublished_changes=False,
            first_published_at=now, last_published_at=now,
        ))
    Event.objects.bulk_create(event_rows, batch_size=1000)
    for n, event in enumerate(event_rows):
        organizer_links.append(Event.organizers.through(
            event_id=event.pk, institution_id=institutions[n % len(institutions)].pk))
    Event.organizers.through.objects.bulk_create(organizer_links, batch_size=2000)

    agreement_rows = []
    today = timezone.localdate()
    for n in range(agreements):
        signed = today - dt.timedelta(days=200 + n * 11)
        until = today + dt.timedelta(days=(n * 23) % 400 - 60)
        agreement_rows.append(Agreement(
            title=f"Convenio de colaboración en {TOPICS[n % len(TOPICS)]} #{n + 1}",
            object="Colaborar en acciones de promoción y difusión de los derechos de acceso "
                   "a la información y protección de datos personales.",
            obligations="Difundir contenidos conjuntos; organizar al menos dos actividades.",
            signed_on=signed, valid_from=signed, valid_until=until,
            status=AgreementStatus.IN_FORCE,
        ))
    Agreement.objects.bulk_create(agreement_rows, batch_size=1000)
    links = [Agreement.institutions.through(agreement_id=a.pk,
                                            institution_id=institutions[n % len(institutions)].pk)
             for n, a in enumerate(agreement_rows)]
    Agreement.institutions.through.objects.bulk_create(links, batch_size=2000)
    if ally_rows:
        Agreement.allies.through.objects.bulk_create(
            [Agreement.allies.through(agreement_id=a.pk, ally_id=ally_rows[n % len(ally_rows)].pk)
             for n, a in enumerate(agreement_rows)], batch_size=2000)
    # Bulk inserts skip the signals that index rows: the site and admin search must find them.
    backend = get_search_backend()
    for model, rows in ((Person, people), (Ally, ally_rows), (Event, event_rows),
                        (Agreement, agreement_rows)):
        if rows:
            backend.add_bulk(model, rows)
    return {"contacts": len(people), "events": len(event_rows),
            "agreements": len(agreement_rows), "allies": len(ally_rows)}
