"""Demo joint agendas: the Sureste region's 2026 agenda (seed 004) and the Centro region's.
Idempotent: an agenda that exists is left as it is."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from network.enums import ActionLineStatus, PracticeTopic
from network.models import ActionLine, AgendaObjective, Event, FollowUp, Institution, JointAgenda, Region

S = ActionLineStatus
AGENDAS = {
    "sureste": {
        "title": "Agenda conjunta de los órganos garantes del Sureste",
        "summary": "Retoma los objetivos del PROTAI: reducir brechas entre las instituciones "
                   "de la región y coordinar su trabajo en difusión, archivos y gobierno abierto.",
        "objectives": [
            ("Difundir el derecho de acceso a la información en la región", PracticeTopic.PROMOTION, [
                ("Definir objetivos compartidos y medibles para la promoción y difusión",
                 ["IVAI", "ITAIP", "INAIP"], S.DONE),
                ("Estandarizar la información para dar seguimiento a las acciones de difusión",
                 ["COTAIPEC", "IDAIPQROO"], S.IN_PROGRESS),
            ]),
            ("Fortalecer la gestión documental y los archivos", PracticeTopic.ARCHIVES, [
                ("Diagnóstico regional de normas, capacidades y prácticas de archivo",
                 ["ITAIPCH", "ITAIP"], S.IN_PROGRESS),
                ("Feria regional de experiencias exitosas en archivos",
                 ["IVAI", "COTAIPEC", "INAIP"], S.PLANNED),
            ]),
            ("Impulsar el gobierno abierto con participación ciudadana", PracticeTopic.OPEN_GOVERNMENT, [
                ("Estrategia regional de participación ciudadana en la toma de decisiones",
                 ["IDAIPQROO", "INAIP"], S.DELAYED),
            ]),
        ],
    },
    "centro": {
        "title": "Agenda conjunta de la Región Centro",
        "summary": "Transparencia proactiva y rendición de cuentas en los municipios.",
        "objectives": [
            ("Información útil sobre trámites y programas sociales", PracticeTopic.PROACTIVE, [
                ("Estándares regionales de calidad de la información proactiva",
                 ["INFOEM", "INFO CDMX", "ITAIPUE"], S.IN_PROGRESS),
            ]),
        ],
    },
}


@transaction.atomic
def build_agenda_demo(year: int | None = None) -> int:
    """Create the demo agendas that do not exist yet. Returns how many were created."""
    year = year or timezone.localdate().year
    by_acronym = {i.acronym: i for i in Institution.objects.all()}
    events = list(Event.objects.public().order_by("starts_at")[:4])
    created = 0
    for slug, spec in AGENDAS.items():
        region = Region.objects.filter(slug=slug).first()
        if region is None or JointAgenda.objects.filter(region=region, year=year).exists():
            continue
        agenda = JointAgenda.objects.create(
            region=region, year=year, title=spec["title"], summary=spec["summary"],
            starts_on=dt.date(year, 1, 1), ends_on=dt.date(year, 12, 31))
        created += 1
        for n, (title, topic, lines) in enumerate(spec["objectives"]):
            objective = AgendaObjective.objects.create(agenda=agenda, title=title, topic=topic,
                                                       sort_order=n)
            for m, (line_title, acronyms, status) in enumerate(lines):
                line = ActionLine.objects.create(
                    objective=objective, title=line_title, status=status,
                    starts_on=dt.date(year, 2, 1), ends_on=dt.date(year, 6 + m, 30))
                line.responsible.set([by_acronym[a] for a in acronyms if a in by_acronym])
                if events:
                    line.events.set([events[(n + m) % len(events)]])
                line.save()  # parental many-to-many links are written on save
                if status != S.PLANNED:
                    FollowUp.objects.create(
                        line=line, date=min(timezone.localdate(), dt.date(year, 3, 15)),
                        note="Reunión de arranque con las instituciones responsables; se "
                             "acordó el calendario de trabajo.",
                        new_status=status, evidence_url="https://www.snt.org.mx/")
    return created
