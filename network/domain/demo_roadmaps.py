"""Demo data of the municipal roadmaps: a signed agreement with a municipality and its
roadmap, with milestones concluded, some in progress and one overdue. Idempotent."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.utils import timezone

from network.domain import roadmaps
from network.enums import AgreementStatus, MilestoneStatus, PersonRole, State
from network.models import Agreement, Institution, Person, Roadmap

DEMO_TITLE = "Convenio de colaboración INFOEM – Municipio de Metepec (demostración)"
OVERDUE_TOOL = "Diagnóstico en automatización de procesos"


def build_roadmap_demo(today: dt.date | None = None) -> Roadmap | None:
    """The Metepec roadmap, started 14 months ago. Returns it (None without INFOEM or an admin)."""
    today = today or timezone.localdate()
    existing = Roadmap.objects.filter(agreement__title=DEMO_TITLE).first()
    if existing:
        return existing
    infoem = Institution.objects.filter(acronym="INFOEM").first()
    actor = get_user_model().objects.filter(is_superuser=True, is_active=True).first()
    if infoem is None or actor is None:
        return None
    counterpart, _ = Person.objects.get_or_create(
        name="Contraparte municipal de Metepec (demostración)",
        defaults={"institution": None, "role": PersonRole.LIAISON, "in_network": False,
                  "position": "Titular de la Unidad de Transparencia municipal",
                  "email": "transparencia.metepec@enlace.local"},
    )
    officer, _ = Person.objects.get_or_create(
        name="Enlace de vinculación del INFOEM (demostración)",
        defaults={"institution": infoem, "role": PersonRole.LIAISON,
                  "email": "vinculacion.infoem@enlace.local"},
    )
    start = today - relativedelta(months=14)
    agreement = Agreement.objects.create(
        title=DEMO_TITLE, municipality="Metepec", municipality_state=State.MEX,
        object="Implementar el Modelo Regional de Transparencia Municipal en Metepec.",
        signed_on=start, valid_from=start, valid_until=start + relativedelta(years=3),
        status=AgreementStatus.IN_FORCE,
    )
    agreement.institutions.set([infoem])
    agreement.responsible.set([counterpart, officer])
    agreement.save()
    roadmap = roadmaps.start_roadmap(agreement, actor=actor, project_months=12, starts_on=start)
    for milestone in roadmap.milestones.select_related("tool"):
        if milestone.tool.name == OVERDUE_TOOL:
            continue  # left behind: shown as overdue and reminded
        if milestone.due_on < today:
            roadmaps.update_milestone(
                milestone, actor=actor, status=MilestoneStatus.DONE,
                evidence_url=f"https://metepec.gob.mx/transparencia/evidencia/{milestone.tool_id}",
            )
        elif milestone.starts_on <= today:
            roadmaps.update_milestone(milestone, actor=actor, status=MilestoneStatus.IN_PROGRESS)
    roadmaps.roll_annual_milestones(today)
    return roadmap
