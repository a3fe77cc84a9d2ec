"""Municipal transparency roadmaps (seed 003): catalogue, start, progress, overdue reminders,
annual repetition, public pages, open data and indicators."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from hub.indicators import Period, Scope, sections
from network import rules
from network.domain import roadmaps
from network.enums import AgreementStatus, MilestoneStatus, ReminderState, ToolRecurrence
from network.models import Milestone, MilestoneReminder, Roadmap, RoadmapTool, StaffProfile
from tests.factories import AgreementFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

# Seed 003, transcribed: (dimension, tool, temporalidad). "Publica" in the seed is written
# "Pública" in the catalogue.
SEED = [
    (1, "Convenio de colaboración", "1 mes"),
    (1, "Política de Transparencia y Acceso a la Información Pública", "3 meses"),
    (1, "Sistema de Integridad y Código de Ética", "6 meses"),
    (1, "Planes y Proyectos de Transparencia", "Depende de la duración del proyecto"),
    (2, "Perfiles de Cargo", "3 meses"),
    (2, "Plan anual de capacitación interna para funcionarios municipales y ciudadanía", "Anual"),
    (2, "Diagnóstico de Infraestructura asignada a los procesos de transparencia", "3 meses"),
    (3, "Formalización de Procesos", "6 meses"),
    (3, "Diagnóstico en automatización de procesos", "3 meses"),
    (4, "Plan anual de difusión a la ciudadanía", "3 meses"),
    (4, "Formalización de canales de atención", "3 meses"),
    (4, "Transparencia proactiva", "4 meses"),
    (4, "Política de Datos Abiertos", "5 meses"),
    (5, "Encuesta de Satisfacción Usuaria", "Anual"),
    (5, "Reporte de Indicadores de Desempeño", "3 meses"),
    (5, "Cuenta pública", "Anual"),
]
DIMENSIONS = {1: "Estrategia", 2: "Recursos", 3: "Procesos", 4: "Ciudadanía",
              5: "Mejora continua"}


@pytest.fixture
def counterpart(infoem):
    return PersonFactory(name="Laura Municipal", institution=None,
                         email="laura@metepec.example")


@pytest.fixture
def agreement(infoem, counterpart):
    start = timezone.localdate() - dt.timedelta(days=30)
    return AgreementFactory(title="Convenio Metepec", municipality="Metepec",
                            municipality_state="MEX", signed_on=start, valid_from=start,
                            valid_until=start + relativedelta(years=3),
                            institutions=[infoem], responsible=[counterpart])


@pytest.fixture
def roadmap(agreement, coordinator):
    return roadmaps.start_roadmap(agreement, actor=coordinator)


# --- Catalogue ----------------------------------------------------------------------------

def test_catalogue_holds_the_16_tools_of_the_seed_with_their_dimension_and_duration():
    tools = list(RoadmapTool.objects.all())
    assert [(t.dimension, t.name, t.duration_label) for t in tools] == SEED
    assert {t.get_dimension_display() for t in tools} == set(DIMENSIONS.values())
    assert all(t.description for t in tools)
    annual = {t.name for t in tools if t.recurrence == ToolRecurrence.ANNUAL}
    assert annual == {name for _d, name, label in SEED if label == "Anual"}
    project = RoadmapTool.objects.get(name="Planes y Proyectos de Transparencia")
    assert project.duration_months is None


def test_coordination_edits_the_catalogue_and_officers_only_view_it(coordinator_client,
                                                                    client, officer):
    tool = RoadmapTool.objects.get(name="Transparencia proactiva")
    url = f"/admin/snippets/network/roadmaptool/edit/{tool.pk}/"
    data = {"dimension": 4, "order": 3, "name": tool.name, "description": "Nueva descripción",
            "duration_label": "5 meses", "duration_months": 5, "recurrence": "unica",
            "active": "on"}
    assert coordinator_client.post(url, data).status_code == 302
    tool.refresh_from_db()
    assert tool.duration_months == 5 and tool.description == "Nueva descripción"
    client.force_login(officer)
    assert client.get("/admin/snippets/network/roadmaptool/").status_code == 200
    client.post(url, {**data, "description": "Del oficial"})
    tool.refresh_from_db()
    assert tool.description == "Nueva descripción"


def test_catalogue_refuses_an_annual_tool_that_is_not_twelve_months(coordinator_client):
    tool = RoadmapTool.objects.get(name="Cuenta pública")
    url = f"/admin/snippets/network/roadmaptool/edit/{tool.pk}/"
    response = coordinator_client.post(url, {
        "dimension": 5, "order": 3, "name": tool.name, "description": tool.description,
        "duration_label": "Anual", "duration_months": 7, "recurrence": "anual",
        "active": "on"})
    assert response.status_code == 200
    assert "Una herramienta anual dura 12 meses" in response.content.decode()


# --- Start -------------------------------------------------------------------------------

def test_a_roadmap_started_months_after_signing_starts_today_with_nothing_overdue(
        agreement, coordinator):
    """Dated from the agreement's start, a roadmap started months later had its first
    milestones overdue at once, and the daily reminders fired for all of them."""
    agreement.valid_from = agreement.signed_on = timezone.localdate() - relativedelta(months=8)
    agreement.save()
    roadmap = roadmaps.start_roadmap(agreement, actor=coordinator)
    today = timezone.localdate()
    assert roadmap.starts_on == today
    assert min(m.starts_on for m in roadmap.milestones.all()) == today
    assert not roadmap.milestones.filter(due_on__lt=today).exists()


def test_the_person_starting_chooses_the_start_date_within_the_agreement(agreement,
                                                                          coordinator):
    chosen = agreement.valid_from + dt.timedelta(days=10)
    roadmap = roadmaps.start_roadmap(agreement, actor=coordinator, starts_on=chosen)
    assert roadmap.starts_on == chosen
    assert roadmap.milestones.get(tool__name="Convenio de colaboración").starts_on == chosen


@pytest.mark.parametrize(("days_from_start", "message"), [
    (-1, "no puede ser anterior al inicio del convenio"),
    (3 * 366 + 1, "no puede ser posterior al fin del convenio"),
])
def test_a_start_date_outside_the_agreement_is_refused(agreement, coordinator, days_from_start,
                                                      message):
    with pytest.raises(ValidationError, match=message):
        roadmaps.start_roadmap(agreement, actor=coordinator, starts_on=agreement.valid_from
                               + dt.timedelta(days=days_from_start))
    assert not Roadmap.objects.exists()


def test_admin_start_screen_offers_today_and_starts_on_the_chosen_date(coordinator_client,
                                                                       agreement):
    url = f"/admin/red/hojas-de-ruta/iniciar/{agreement.pk}/"
    today = timezone.localdate()
    assert f'value="{today.isoformat()}"' in coordinator_client.get(url).content.decode()
    early = coordinator_client.post(url, {"project_months": "12", "starts_on": (
        agreement.valid_from - dt.timedelta(days=1)).isoformat()})
    assert "no puede ser anterior al inicio del convenio" in early.content.decode()
    assert not Roadmap.objects.exists()
    chosen = today - dt.timedelta(days=5)
    coordinator_client.post(url, {"project_months": "12", "starts_on": chosen.isoformat()})
    roadmap = Roadmap.objects.get()
    assert roadmap.starts_on == chosen
    detail = coordinator_client.get(f"/admin/red/hojas-de-ruta/{roadmap.pk}/").content.decode()
    assert f"Inicio: {chosen:%d/%m/%Y}" in detail

def test_starting_dates_every_tool_from_the_chosen_start(roadmap, agreement, counterpart):
    start = roadmap.starts_on
    milestones = {m.tool.name: m for m in roadmap.milestones.select_related("tool")}
    assert len(milestones) == 16
    convenio = milestones["Convenio de colaboración"]
    assert (convenio.starts_on, convenio.due_on) == (start, start + relativedelta(months=1)
                                                     - dt.timedelta(days=1))
    after_convenio = start + relativedelta(months=1)
    # Dimension 1 goes on after the convenio; other dimensions start when its month ends.
    politica = milestones["Política de Transparencia y Acceso a la Información Pública"]
    assert politica.starts_on == after_convenio
    assert milestones["Perfiles de Cargo"].starts_on == after_convenio
    assert milestones["Formalización de Procesos"].starts_on == after_convenio
    # Within a dimension, one tool after another.
    formal = milestones["Formalización de Procesos"]
    assert milestones["Diagnóstico en automatización de procesos"].starts_on == \
        formal.due_on + dt.timedelta(days=1)
    # "Depende de la duración del proyecto": the roadmap's project length (12 by default).
    planes = milestones["Planes y Proyectos de Transparencia"]
    assert planes.due_on == planes.starts_on + relativedelta(months=12) - dt.timedelta(days=1)
    assert all(m.status == MilestoneStatus.NOT_STARTED for m in milestones.values())
    assert list(convenio.responsible.all()) == [counterpart]
    assert roadmap.guarantor.acronym == "INFOEM" and roadmap.municipality == "Metepec"


def test_starting_twice_is_refused_and_changes_nothing(roadmap, agreement, coordinator):
    with pytest.raises(ValidationError, match="ya se inició"):
        roadmaps.start_roadmap(agreement, actor=coordinator)
    assert Roadmap.objects.count() == 1 and Milestone.objects.count() == 16


def test_only_people_of_the_parties_may_start(agreement, itei):
    stranger = UserFactory(username="oficial-itei", groups=[rules.COMMUNICATIONS])
    StaffProfile.objects.create(user=stranger, institution=itei)
    with pytest.raises(PermissionDenied):
        roadmaps.start_roadmap(agreement, actor=stranger)
    editor = UserFactory(username="editora", groups=[rules.EDITORIAL])
    with pytest.raises(PermissionDenied):
        roadmaps.start_roadmap(agreement, actor=editor)
    assert not Roadmap.objects.exists()


def test_officer_of_a_party_starts_it(agreement, officer):
    roadmap = roadmaps.start_roadmap(agreement, actor=officer, project_months=6)
    assert roadmap.started_by == officer and roadmap.milestones.count() == 16


@pytest.mark.parametrize("change, message", [
    ({"municipality": "", "municipality_state": ""}, "no es con un municipio"),
    ({"status": AgreementStatus.TERMINATED}, "convenio vigente"),
    ({"valid_from": None, "signed_on": None}, "fecha de inicio"),
])
def test_agreements_that_cannot_have_a_roadmap_are_refused(agreement, coordinator, change,
                                                           message):
    for field, value in change.items():
        setattr(agreement, field, value)
    agreement.save()
    with pytest.raises(ValidationError, match=message):
        roadmaps.start_roadmap(agreement, actor=coordinator)
    assert not Roadmap.objects.exists()


def test_agreement_with_a_municipality_needs_its_state(agreement):
    agreement.municipality_state = ""
    with pytest.raises(ValidationError) as exc:
        agreement.full_clean()
    assert "Indique la entidad federativa del municipio." in str(exc.value)


def test_admin_start_screen_starts_once_and_says_so(coordinator_client, agreement):
    url = f"/admin/red/hojas-de-ruta/iniciar/{agreement.pk}/"
    assert "Iniciar hoja de ruta" in coordinator_client.get(url).content.decode()
    response = coordinator_client.post(url, {"project_months": "12",
                                                 "starts_on": timezone.localdate()})
    roadmap = Roadmap.objects.get()
    assert response["Location"] == f"/admin/red/hojas-de-ruta/{roadmap.pk}/"
    again = coordinator_client.post(url, {"project_months": "12",
                                              "starts_on": timezone.localdate()}, follow=True)
    assert "ya se inició" in again.content.decode()
    assert Roadmap.objects.count() == 1


def test_an_expired_agreement_is_not_offered_for_a_roadmap_and_says_why(coordinator_client,
                                                                       agreement):
    """Recorded «vigente» but past its end date: the roadmaps' list and the agreements' list
    offered «Iniciar hoja de ruta», whose form then refused every submission."""
    agreement.valid_until = timezone.localdate() - dt.timedelta(days=1)
    agreement.save()
    start = f"/admin/red/hojas-de-ruta/iniciar/{agreement.pk}/"
    for listing in ("/admin/red/hojas-de-ruta/", "/admin/snippets/network/agreement/"):
        assert start not in coordinator_client.get(listing).content.decode()
    html = coordinator_client.get(start).content.decode()
    assert "Solo se puede iniciar la hoja de ruta de un convenio vigente." in html
    assert 'id="roadmap-start-submit"' not in html
    assert not Roadmap.objects.exists()


@pytest.mark.parametrize("months", ["0", "-1", "61", "doce", ""])
def test_admin_start_refuses_a_bad_project_length(coordinator_client, agreement, months):
    response = coordinator_client.post(f"/admin/red/hojas-de-ruta/iniciar/{agreement.pk}/",
                                       {"project_months": months})
    assert response.status_code == 200 and not Roadmap.objects.exists()


@pytest.mark.parametrize("path", [
    "/admin/red/hojas-de-ruta/iniciar/0/", "/admin/red/hojas-de-ruta/iniciar/9223372036854775808/",
    "/admin/red/hojas-de-ruta/0/", "/admin/red/hojas-de-ruta/9223372036854775807/",
    "/admin/red/hojas-de-ruta/hito/0/", "/admin/red/hojas-de-ruta/hito/99999999999999999999/",
    "/admin/red/hojas-de-ruta/-1/", "/admin/red/hojas-de-ruta/abc/",
])
def test_admin_odd_ids_are_not_found(coordinator_client, path):
    assert coordinator_client.get(path).status_code == 404


def test_admin_list_is_scoped_and_flags_overdue(client, roadmap, itei):
    Milestone.objects.filter(pk=roadmap.milestones.first().pk).update(
        due_on=timezone.localdate() - dt.timedelta(days=3),
        starts_on=timezone.localdate() - dt.timedelta(days=40))
    stranger = UserFactory(username="oficial-itei", groups=[rules.COMMUNICATIONS])
    StaffProfile.objects.create(user=stranger, institution=itei)
    client.force_login(stranger)
    assert "Metepec" not in client.get("/admin/red/hojas-de-ruta/").content.decode()
    assert client.get(f"/admin/red/hojas-de-ruta/{roadmap.pk}/").status_code == 404
    milestone = roadmap.milestones.first()
    assert client.get(f"/admin/red/hojas-de-ruta/hito/{milestone.pk}/").status_code == 404
    client.force_login(roadmap.started_by)
    html = client.get("/admin/red/hojas-de-ruta/").content.decode()
    assert "Metepec" in html and "1 vencido" in html
    detail = client.get(f"/admin/red/hojas-de-ruta/{roadmap.pk}/").content.decode()
    assert "milestone-overdue" in detail and "Laura Municipal" in detail


def test_admin_wrong_method_is_refused(coordinator_client, roadmap):
    assert coordinator_client.post("/admin/red/hojas-de-ruta/").status_code == 405
    assert coordinator_client.delete(
        f"/admin/red/hojas-de-ruta/{roadmap.pk}/").status_code == 405


# --- Progress ------------------------------------------------------------------------------

def test_party_officer_records_progress_with_evidence(officer_client, roadmap):
    milestone = roadmap.milestones.first()
    url = f"/admin/red/hojas-de-ruta/hito/{milestone.pk}/"
    refused = officer_client.post(url, {"status": "concluido", "evidence_url": "",
                                        "notes": "Sin evidencia"})
    assert "agregue la evidencia" in refused.content.decode()
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.NOT_STARTED and milestone.notes == ""
    done = officer_client.post(url, {"status": "concluido",
                                     "evidence_url": "https://metepec.gob.mx/convenio.pdf"})
    assert done.status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.DONE
    assert milestone.completed_on == timezone.localdate()
    back = officer_client.post(url, {"status": "en-proceso",
                                     "evidence_url": "https://metepec.gob.mx/convenio.pdf"})
    assert back.status_code == 302
    milestone.refresh_from_db()
    assert milestone.completed_on is None


def test_progress_saved_by_someone_else_meanwhile_is_not_overwritten_unseen(officer_client,
                                                                            roadmap,
                                                                            coordinator):
    """Two people with the same milestone open: the second to save wiped the first one's
    conclusion and evidence without a word."""
    milestone = roadmap.milestones.first()
    url = f"/admin/red/hojas-de-ruta/hito/{milestone.pk}/"
    shown = re.search(r'name="version" value="([^"]+)"',
                      officer_client.get(url).content.decode())[1]
    roadmaps.update_milestone(milestone, actor=coordinator, status=MilestoneStatus.DONE,
                              evidence_url="https://metepec.gob.mx/acta.pdf")
    stale = officer_client.post(url, {"status": "en-proceso", "notes": "Vamos a la mitad",
                                      "version": shown})
    html = stale.content.decode()
    assert stale.status_code == 200 and "Otra persona guardó este hito" in html
    assert "Vamos a la mitad" in html  # what the officer typed is still in the form
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.DONE
    assert milestone.evidence_url == "https://metepec.gob.mx/acta.pdf"
    # Having seen it, the officer may save their own progress over it.
    current = re.search(r'name="version" value="([^"]+)"', html)[1]
    again = officer_client.post(url, {"status": "en-proceso", "notes": "Vamos a la mitad",
                                      "version": current})
    assert again.status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.IN_PROGRESS


def test_progress_form_refuses_bad_input(officer_client, roadmap):
    milestone = roadmap.milestones.first()
    url = f"/admin/red/hojas-de-ruta/hito/{milestone.pk}/"
    for data in ({"status": "hecho"}, {"status": "en-proceso", "evidence_url": "no es url"},
                 {"status": "en-proceso", "notes": "x" * 2001},
                 {"status": "en-proceso", "evidence_document": "999999"}):
        assert officer_client.post(url, data).status_code == 200
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.NOT_STARTED


def test_people_outside_the_parties_cannot_update(roadmap, itei):
    stranger = UserFactory(username="oficial-itei", groups=[rules.COMMUNICATIONS])
    StaffProfile.objects.create(user=stranger, institution=itei)
    milestone = roadmap.milestones.first()
    assert not rules.can_update_milestone(stranger, milestone)
    assert not stranger.has_perm("network.update_milestone", milestone)
    with pytest.raises(PermissionDenied):
        roadmaps.update_milestone(milestone, actor=stranger, status=MilestoneStatus.IN_PROGRESS)


# --- Overdue, reminders, annual repetition -----------------------------------------------------

def _overdue(roadmap, days=5):
    milestone = roadmap.milestones.select_related("tool").first()
    today = timezone.localdate()
    Milestone.objects.filter(pk=milestone.pk).update(
        starts_on=today - dt.timedelta(days=60), due_on=today - dt.timedelta(days=days))
    return milestone


def test_overdue_milestone_is_reminded_once_per_period(roadmap, officer):
    officer.email = "oficial@infoem.example"
    officer.save()
    milestone = _overdue(roadmap)
    today = timezone.localdate()
    assert roadmaps.send_milestone_reminders(today) == 1
    [message] = mail.outbox
    assert message.subject == ("Hito vencido de la hoja de ruta de Metepec: "
                               "Convenio de colaboración")
    assert sorted(message.to) == ["laura@metepec.example", "oficial@infoem.example"]
    assert "venció el" in message.body and "hace 5 días" in message.body
    assert f"/admin/red/hojas-de-ruta/{roadmap.pk}/" in message.body
    # Same period: claimed already, never sent again (a restart runs the job again).
    assert roadmaps.send_milestone_reminders(today) == 0
    assert roadmaps.send_milestone_reminders(today + dt.timedelta(days=10)) == 0
    # Next period: reminded again.
    with override_settings(ENLACE_ROADMAP_REMINDER_PERIOD_DAYS=30):
        assert roadmaps.send_milestone_reminders(today + dt.timedelta(days=30)) == 1
    assert list(MilestoneReminder.objects.filter(milestone=milestone)
                .values_list("state", flat=True)) == [ReminderState.SENT] * 2


def test_a_claimed_reminder_is_not_resent_after_a_crash(roadmap):
    milestone = _overdue(roadmap)
    today = timezone.localdate()
    # A worker claimed it and died before sending: it stays claimed, never sent twice.
    MilestoneReminder.objects.create(milestone=milestone,
                                     period=roadmaps.reminder_period(milestone, today))
    assert roadmaps.send_milestone_reminders(today) == 0 and not mail.outbox


def test_milestones_of_an_agreement_past_its_end_are_not_reminded(roadmap):
    """An agreement whose term ended is no longer in force, whatever its status still says
    (nobody changed it): its counterparts are not mailed about it every period."""
    _overdue(roadmap)
    today = timezone.localdate()
    roadmap.agreement.valid_until = today - dt.timedelta(days=1)
    roadmap.agreement.save()
    assert roadmaps.send_milestone_reminders(today) == 0
    assert not mail.outbox and not MilestoneReminder.objects.exists()


def test_concluded_milestones_are_not_reminded(roadmap, coordinator):
    milestone = _overdue(roadmap)
    roadmaps.update_milestone(milestone, actor=coordinator, status=MilestoneStatus.DONE,
                              evidence_url="https://example.org/evidencia")
    assert roadmaps.send_milestone_reminders() == 0
    assert not Milestone.objects.overdue().exists()


def test_annual_tools_repeat_each_year_once(roadmap):
    annual = roadmap.milestones.filter(tool__recurrence=ToolRecurrence.ANNUAL)
    first = annual.order_by("due_on").first()
    day_after = first.due_on + dt.timedelta(days=1)
    assert roadmaps.roll_annual_milestones(first.due_on) == 0
    created = roadmaps.roll_annual_milestones(day_after)
    assert created >= 1
    nxt = Milestone.objects.get(roadmap=roadmap, tool=first.tool, cycle=2)
    assert nxt.starts_on == day_after
    assert nxt.due_on == day_after + relativedelta(months=12) - dt.timedelta(days=1)
    assert nxt.status == MilestoneStatus.NOT_STARTED
    assert list(nxt.responsible.values_list("name", flat=True)) == ["Laura Municipal"]
    assert roadmaps.roll_annual_milestones(day_after) == 0


def test_annual_tools_stop_when_the_agreement_ends(roadmap, agreement):
    annual = roadmap.milestones.filter(tool__recurrence=ToolRecurrence.ANNUAL).order_by("due_on")
    agreement.valid_until = annual.first().due_on
    agreement.save()
    assert roadmaps.roll_annual_milestones(annual.last().due_on + dt.timedelta(days=1)) == 0
    assert not Milestone.objects.filter(cycle=2).exists()


def test_the_beat_task_runs_the_daily_job(roadmap):
    from network.tasks import roadmap_daily

    _overdue(roadmap)
    assert roadmap_daily.apply().get() == {"annual": 0, "reminders": 1}
    assert len(mail.outbox) == 1


# --- Public pages, open data, indicators --------------------------------------------------

def test_public_pages_show_progress_without_personal_data(client, roadmap, coordinator):
    milestone = _overdue(roadmap)
    second = roadmap.milestones.exclude(pk=milestone.pk).first()
    roadmaps.update_milestone(second, actor=coordinator, status=MilestoneStatus.DONE,
                              evidence_url="https://metepec.gob.mx/evidencia")
    detail = client.get(f"/hojas-de-ruta/{roadmap.slug}/").content.decode()
    assert "Hoja de ruta de Metepec" in detail and "Vencido" in detail
    assert "1 de 16 hitos concluidos (6 %)" in detail
    assert "https://metepec.gob.mx/evidencia" in detail
    assert "laura@metepec.example" not in detail and "Laura Municipal" not in detail
    overview = client.get("/hojas-de-ruta/").content.decode()
    assert "Por región" in overview and "Por órgano garante" in overview
    assert "<svg" in overview and "Metepec" in overview
    region = roadmap.guarantor.region
    assert "Metepec" in client.get(f"/hojas-de-ruta/region/{region.slug}/").content.decode()
    guarantor = client.get(f"/hojas-de-ruta/garante/{roadmap.guarantor.slug}/").content.decode()
    assert "Metepec" in guarantor


def test_an_overdue_milestone_reads_overdue_in_english_not_expired(client, roadmap,
                                                                   officer_client):
    """«Vencido» of an agreement is «Expired»; a milestone past its due date is «Overdue» (the
    public page and the admin said «Expired» next to «7 overdue milestones»)."""
    milestone = _overdue(roadmap)
    client.cookies["django_language"] = officer_client.cookies["django_language"] = "en"
    public = client.get(f"/hojas-de-ruta/{roadmap.slug}/").content.decode()
    admin = officer_client.get(f"/admin/red/hojas-de-ruta/{roadmap.pk}/").content.decode()
    edit = officer_client.get(f"/admin/red/hojas-de-ruta/hito/{milestone.pk}/").content.decode()
    assert 'lang="en"' in public
    for html in (public, admin, edit):
        assert "Overdue" in html and "Expired" not in html


def test_private_agreements_keep_their_roadmap_off_the_public_site(client, roadmap, agreement):
    agreement.is_public = False
    agreement.save()
    assert client.get(f"/hojas-de-ruta/{roadmap.slug}/").status_code == 404
    assert "Metepec" not in client.get("/hojas-de-ruta/").content.decode()
    assert client.get("/datos/hojas-de-ruta.json").json()["results"] == []


def test_public_pages_refuse_unknown_slugs_and_writes(client):
    assert client.get("/hojas-de-ruta/no-existe/").status_code == 404
    assert client.get("/hojas-de-ruta/garante/no-existe/").status_code == 404
    assert client.get("/hojas-de-ruta/region/no-existe/").status_code == 404
    assert client.post("/hojas-de-ruta/").status_code == 405


def test_changing_a_milestone_purges_the_public_page(client, roadmap, coordinator):
    url = f"/hojas-de-ruta/{roadmap.slug}/"
    assert "0 de 16" in client.get(url).content.decode()
    roadmaps.update_milestone(roadmap.milestones.first(), actor=coordinator,
                              status=MilestoneStatus.DONE, evidence_url="https://example.org/e")
    assert "1 de 16" in client.get(url).content.decode()


def test_open_data_has_milestones_with_state_and_dates_and_no_emails(client, roadmap):
    _overdue(roadmap)
    body = client.get("/datos/hojas-de-ruta.json")
    assert body.status_code == 200
    text = body.content.decode()
    assert "laura@metepec.example" not in text and "Laura Municipal" not in text
    data = body.json()
    rows = data["results"]
    assert data["count"] == 16 and len(rows) == 16
    first = rows[0]
    assert first["municipio"] == "Metepec" and first["organo_garante"] == "INFOEM"
    assert first["estado"] == "No iniciado" and first["dimension"] == "Estrategia"
    assert sum(r["vencido"] for r in rows) == 1
    streamed = b"".join(client.get("/datos/hojas-de-ruta.csv").streaming_content)
    csv_rows = list(csv.DictReader(io.StringIO(streamed.decode("utf-8-sig"))))
    assert len(csv_rows) == 16 and csv_rows[0]["herramienta"] == "Convenio de colaboración"
    schema = client.get("/datos/hojas-de-ruta/esquema.json").json()
    assert "vencido" in str(schema) and "hoja_de_ruta" in str(schema)


def test_indicators_count_active_roadmaps_done_and_overdue_per_scope(roadmap, coordinator,
                                                                    infoem, itei):
    _overdue(roadmap)
    roadmaps.update_milestone(roadmap.milestones.last(), actor=coordinator,
                              status=MilestoneStatus.DONE, evidence_url="https://example.org/e")
    period = Period.current_quarter()

    def figures(scope):
        [section] = [s for s in sections(scope) if s.key == "roadmaps"]
        return {f.label: f.value for f in section.figures}

    national = figures(Scope(period))
    assert national == {"Hojas de ruta activas": 1, "Hitos concluidos en el periodo": 1,
                        "Hitos vencidos al cierre del periodo": 1}
    assert figures(Scope(period, institution_id=infoem.pk))["Hojas de ruta activas"] == 1
    assert figures(Scope(period, institution_id=itei.pk))["Hojas de ruta activas"] == 0
    assert figures(Scope(period, region_id=infoem.region_id))["Hojas de ruta activas"] == 1


def test_demo_builds_a_roadmap_with_done_and_one_overdue(admin_user):
    from network.domain.demo_roadmaps import OVERDUE_TOOL, build_roadmap_demo

    roadmap = build_roadmap_demo()
    assert build_roadmap_demo() == roadmap  # idempotent
    overdue = list(Milestone.objects.overdue().filter(cycle=1).values_list("tool__name",
                                                                           flat=True))
    assert overdue == [OVERDUE_TOOL]
    assert roadmap.milestones.done().count() >= 8


def test_agreement_listing_links_to_start_and_then_to_the_roadmap(coordinator_client, agreement,
                                                                 coordinator):
    listing = "/admin/snippets/network/agreement/"
    html = coordinator_client.get(listing).content.decode()
    assert f"/admin/red/hojas-de-ruta/iniciar/{agreement.pk}/" in html
    roadmap = roadmaps.start_roadmap(agreement, actor=coordinator)
    html = coordinator_client.get(listing).content.decode()
    assert f"/admin/red/hojas-de-ruta/{roadmap.pk}/" in html
    assert f"/admin/red/hojas-de-ruta/iniciar/{agreement.pk}/" not in html


def test_a_restricted_collection_document_is_not_offered_as_public_evidence(db):
    from wagtail.documents import get_document_model
    from wagtail.models import Collection, CollectionViewRestriction

    from network.domain.images import public_documents

    root = Collection.get_first_root_node()
    private = root.add_child(name="Participaciones (privado)")
    inner = private.add_child(name="Dentro")
    CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
    Document = get_document_model()
    public = Document.objects.create(title="Acta pública", collection=root)
    hidden = Document.objects.create(title="Obra de un menor", collection=inner)
    offered = set(public_documents())
    assert public in offered and hidden not in offered


def test_the_summary_of_one_roadmap_reads_in_the_singular(roadmap, coordinator):
    """The demo's dashboard and quarterly report read «1 municipios siguen su hoja de ruta …;
    en el periodo concluyeron 1 hitos y 1 están vencidos»."""
    from django.utils import translation

    _overdue(roadmap)
    roadmaps.update_milestone(roadmap.milestones.last(), actor=coordinator,
                              status=MilestoneStatus.DONE, evidence_url="https://example.org/e")

    def summary():
        [section] = [s for s in sections(Scope(Period.current_quarter())) if s.key == "roadmaps"]
        return section.summary

    assert summary() == ("1 municipio sigue su hoja de ruta del Modelo de Transparencia "
                         "Municipal; en el periodo concluyó 1 hito y 1 está vencido.")
    with translation.override("en"):
        assert summary() == ("1 municipality is following its roadmap of the Municipal "
                             "Transparency Model; in the period 1 milestone was concluded and "
                             "1 is overdue.")


@pytest.fixture
def roadmap_three_years_back(agreement, coordinator):
    """A roadmap started on its agreement's first day, three years ago (a six-year agreement)."""
    start = timezone.localdate() - relativedelta(years=3)
    agreement.signed_on = agreement.valid_from = start
    agreement.valid_until = start + relativedelta(years=6)
    agreement.save()
    return roadmaps.start_roadmap(agreement, actor=coordinator, starts_on=start)


def test_a_roadmap_started_years_back_catches_up_its_annual_cycles_in_one_run(
        roadmap_three_years_back):
    """Started on the agreement's first day three years back: the first daily run creates
    every year's milestone up to the current one, not one more year per day."""
    today = timezone.localdate()
    roadmap = roadmap_three_years_back
    annual_tools = set(roadmap.milestones.filter(tool__recurrence=ToolRecurrence.ANNUAL)
                       .values_list("tool", flat=True))
    assert annual_tools
    roadmaps.roll_annual_milestones(today)
    for tool in annual_tools:
        cycles = list(roadmap.milestones.filter(tool=tool).order_by("cycle"))
        assert cycles[-1].due_on >= today > cycles[-2].due_on  # the current year's, no later
        assert [m.cycle for m in cycles] == list(range(1, len(cycles) + 1))
    assert roadmaps.roll_annual_milestones(today + dt.timedelta(days=1)) == 0


def test_an_annual_tool_missed_several_years_is_reminded_once_not_once_a_year(
        roadmap_three_years_back):
    """The overdue earlier years of one annual tool give one reminder (of its latest overdue
    year), not a mail per missed year on the same day."""
    today = timezone.localdate()
    roadmap = roadmap_three_years_back
    roadmaps.roll_annual_milestones(today)
    overdue = Milestone.objects.overdue(today).filter(roadmap=roadmap)
    annual = overdue.filter(tool__recurrence=ToolRecurrence.ANNUAL)
    assert annual.order_by().values("tool").distinct().count() < annual.count()  # years missed
    expected = overdue.exclude(tool__recurrence=ToolRecurrence.ANNUAL).count() + \
        annual.order_by().values("tool").distinct().count()
    assert roadmaps.send_milestone_reminders(today) == expected
    reminded = {m.tool_id: m.cycle for m in Milestone.objects.filter(
        reminders__isnull=False, tool__recurrence=ToolRecurrence.ANNUAL)}
    for tool, cycle in reminded.items():
        assert cycle == annual.filter(tool=tool).order_by("-cycle").first().cycle


def _roadmap_figures(scope):
    [section] = [s for s in sections(scope) if s.key == "roadmaps"]
    return ({f.label: f.value for f in section.figures},
            {r[0]: r[1] for series in section.series for r in series.rows})


def test_indicators_of_a_closed_quarter_count_milestones_as_they_stood_at_its_close(
        roadmap, coordinator):
    """A milestone overdue at the close of last quarter and concluded since was overdue then;
    one concluded after the close was not done then (the figures of a past quarter do not
    change with what happened after it)."""
    last = Period.current_quarter().previous_quarter()
    late, later = list(roadmap.milestones.order_by("pk")[:2])
    Roadmap.objects.filter(pk=roadmap.pk).update(starts_on=last.start)
    Milestone.objects.filter(pk__in=[late.pk, later.pk]).update(
        starts_on=last.start, due_on=last.end - dt.timedelta(days=5))
    for milestone in (late, later):
        roadmaps.update_milestone(milestone, actor=coordinator, status=MilestoneStatus.DONE,
                                  evidence_url="https://example.org/e")
    # ``later`` was concluded within last quarter, ``late`` only today.
    Milestone.objects.filter(pk=later.pk).update(completed_on=last.end - dt.timedelta(days=1))
    figures, progress = _roadmap_figures(Scope(last))
    assert figures["Hitos vencidos al cierre del periodo"] == 1
    assert figures["Hitos concluidos en el periodo"] == 1
    total = roadmap.milestones.count()
    assert progress["Metepec"] == roadmaps.percent(1, total)


def test_indicators_of_the_current_quarter_do_not_call_a_milestone_due_today_overdue(
        roadmap, client):
    """Overdue means its due date has passed: the dashboard agrees with the roadmap pages."""
    milestone = roadmap.milestones.first()
    Milestone.objects.filter(pk=milestone.pk).update(due_on=timezone.localdate())
    figures, _progress = _roadmap_figures(Scope(Period.current_quarter()))
    assert figures["Hitos vencidos al cierre del periodo"] == 0
    assert Milestone.objects.overdue().count() == 0


def test_a_roadmap_whose_agreement_ended_before_the_quarter_is_not_active_in_it(roadmap):
    period = Period.current_quarter()
    roadmap.agreement.valid_until = period.start - dt.timedelta(days=1)
    roadmap.agreement.save()
    figures, _progress = _roadmap_figures(Scope(period))
    assert figures["Hojas de ruta activas"] == 0
