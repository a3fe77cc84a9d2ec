"""Regional joint agendas: who edits which region's, follow-up, public page, open data,
campaigns that serve a line, and the dashboards' figures."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from hub import pagecache
from hub.indicators import Period, Scope, sections
from network import rules
from network.domain.agendas import record_follow_up
from network.enums import ActionLineStatus
from network.models import ActionLine, FollowUp, Institution, JointAgenda, Region, StaffProfile
from tests.factories import (
    ActionLineFactory,
    AgendaObjectiveFactory,
    EventFactory,
    JointAgendaFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
LINES = "/admin/snippets/network/actionline/"
AGENDAS = "/admin/snippets/network/jointagenda/"


@pytest.fixture
def centro(db):
    return Region.objects.get(slug="centro")


@pytest.fixture
def sureste(db):
    return Region.objects.get(slug="sureste")


@pytest.fixture
def own_line(centro, infoem):
    """A line of the Centro agenda (the region of the officer's INFOEM)."""
    objective = AgendaObjectiveFactory(agenda=JointAgendaFactory(region=centro),
                                       title="Objetivo del Centro")
    return ActionLineFactory(objective=objective, title="Línea del Centro",
                             responsible=[infoem])


@pytest.fixture
def other_line(sureste):
    objective = AgendaObjectiveFactory(agenda=JointAgendaFactory(region=sureste),
                                       title="Objetivo del Sureste")
    ivai = Institution.objects.get(acronym="IVAI")
    return ActionLineFactory(objective=objective, title="Línea del Sureste", responsible=[ivai])


@pytest.fixture
def sureste_officer_client(client):
    user = UserFactory(username="oficial-ivai", groups=[rules.COMMUNICATIONS])
    StaffProfile.objects.create(user=user, institution=Institution.objects.get(acronym="IVAI"))
    client.force_login(user)
    return client


# --- Scope ------------------------------------------------------------------------------------

def test_officer_lists_only_the_lines_and_agendas_of_their_region(officer_client, own_line,
                                                                   other_line):
    html = officer_client.get(LINES).content.decode()
    assert "Línea del Centro" in html and "Línea del Sureste" not in html
    html = officer_client.get(AGENDAS).content.decode()
    assert str(own_line.objective.agenda.title) in html
    assert str(other_line.objective.agenda.title) not in html


def test_officer_searches_the_lines_of_their_region(officer_client, own_line, other_line):
    """Typing in the search box of the lines' listing or chooser answered a 500 to an officer
    (the region scope spans relations the search cannot filter on)."""
    for url in (LINES + "?q=Línea", LINES + "results/?q=Línea",
                "/admin/snippets/choose/network/actionline/?q=Línea",
                "/admin/snippets/choose/network/actionline/results/?q=Línea"):
        response = officer_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "Línea del Sureste" not in html, url
    assert "Línea del Centro" in officer_client.get(LINES + "?q=Centro").content.decode()


def test_line_form_offers_no_draft_event_of_another_institution(officer_client, own_line,
                                                                 infoem):
    """The events that serve a line are public facts, but another institution's unpublished
    event is not: its title was among the choices of the line's form."""
    ivai = Institution.objects.get(acronym="IVAI")
    EventFactory(title="Foro en borrador de IVAI", live=False, organizers=[ivai])
    EventFactory(title="Foro publicado de IVAI", live=True, organizers=[ivai])
    EventFactory(title="Foro en borrador propio", live=False, organizers=[infoem])
    for url in (LINES + "add/", LINES + f"edit/{own_line.pk}/"):
        assert "Foro en borrador de IVAI" not in officer_client.get(url).content.decode(), url
    # What the form's chooser lists: tests/network/test_admin_choosers.py


def test_officer_of_another_region_cannot_open_or_delete_a_line(officer_client, other_line):
    for view in ("edit", "delete", "history", "inspect"):
        response = officer_client.get(f"{LINES}{view}/{other_line.pk}/")
        assert response.status_code in (302, 403, 404), view
    agenda = other_line.objective.agenda
    assert officer_client.get(f"{AGENDAS}edit/{agenda.pk}/").status_code in (302, 403)
    officer_client.post(f"{LINES}delete/{other_line.pk}/")
    assert ActionLine.objects.filter(pk=other_line.pk).exists()


def test_any_officer_of_the_region_edits_its_lines(sureste_officer_client, own_line, other_line):
    """The rule is the region, not the responsible institutions."""
    assert sureste_officer_client.get(f"{LINES}edit/{other_line.pk}/").status_code == 200
    assert sureste_officer_client.get(f"{LINES}edit/{own_line.pk}/").status_code in (302, 403)


def test_coordination_lists_every_region(coordinator_client, own_line, other_line):
    html = coordinator_client.get(LINES).content.decode()
    assert "Línea del Centro" in html and "Línea del Sureste" in html
    assert coordinator_client.get(f"{LINES}edit/{other_line.pk}/").status_code == 200


def test_line_form_offers_only_objectives_of_the_officers_region(officer_client, own_line,
                                                                 other_line):
    html = officer_client.get(f"{LINES}add/").content.decode()
    assert "Objetivo del Centro" in html and "Objetivo del Sureste" not in html


def _line_post(objective, responsible, follow_ups=(), **fields):
    data = {
        "objective": objective.pk, "title": "Capacitación regional conjunta",
        "description": "", "responsible": [i.pk for i in responsible], "starts_on": "",
        "ends_on": "", "status": ActionLineStatus.PLANNED,
        "follow_ups-TOTAL_FORMS": len(follow_ups), "follow_ups-INITIAL_FORMS": 0,
        "follow_ups-MIN_NUM_FORMS": 0, "follow_ups-MAX_NUM_FORMS": 1000,
    }
    for n, f in enumerate(follow_ups):
        data.update({f"follow_ups-{n}-{k}": v for k, v in f.items()})
        data[f"follow_ups-{n}-ORDER"] = n + 1
        data[f"follow_ups-{n}-id"] = ""
        data[f"follow_ups-{n}-evidence_document"] = ""
    data.update(fields)
    return data


def test_officer_cannot_file_a_line_under_another_regions_objective(officer_client, own_line,
                                                                    other_line, infoem):
    before = ActionLine.objects.count()
    response = officer_client.post(f"{LINES}add/", _line_post(other_line.objective, [infoem]))
    assert response.status_code == 200  # the form again, with the error
    assert ActionLine.objects.count() == before


def test_a_new_follow_up_with_a_status_moves_the_line(officer_client, own_line, infoem):
    follow_up = {"date": "2026-03-10", "note": "Primera sesión impartida.",
                 "new_status": ActionLineStatus.IN_PROGRESS, "evidence_url": ""}
    response = officer_client.post(f"{LINES}add/",
                                   _line_post(own_line.objective, [infoem], [follow_up]))
    assert response.status_code == 302, response.content.decode()[:3000]
    line = ActionLine.objects.get(title="Capacitación regional conjunta")
    assert line.status == ActionLineStatus.IN_PROGRESS
    assert list(line.responsible.all()) == [infoem]
    assert line.follow_ups.get().note == "Primera sesión impartida."


def test_a_future_follow_up_is_refused_and_nothing_is_saved(officer_client, own_line, infoem):
    follow_up = {"date": "2999-01-01", "note": "Aún no pasa.", "new_status": "",
                 "evidence_url": ""}
    officer_client.post(f"{LINES}add/", _line_post(own_line.objective, [infoem], [follow_up]))
    assert not ActionLine.objects.filter(title="Capacitación regional conjunta").exists()
    assert not FollowUp.objects.exists()


def test_officer_cannot_file_an_agenda_for_another_region(officer_client, sureste):
    data = {"region": sureste.pk, "year": 2027, "title": "Agenda ajena", "summary": "",
            "starts_on": "", "ends_on": "", "is_public": "on",
            "objectives-TOTAL_FORMS": 1, "objectives-INITIAL_FORMS": 0,
            "objectives-MIN_NUM_FORMS": 1, "objectives-MAX_NUM_FORMS": 1000,
            "objectives-0-title": "Objetivo", "objectives-0-topic": "", "objectives-0-description": "",
            "objectives-0-ORDER": 1, "objectives-0-id": ""}
    response = officer_client.post(f"{AGENDAS}add/", data)
    assert response.status_code == 200
    assert not JointAgenda.objects.filter(title="Agenda ajena").exists()


def test_an_objective_with_lines_cannot_be_removed_from_its_agenda(coordinator_client, own_line):
    agenda = own_line.objective.agenda
    objective = own_line.objective
    data = {"region": agenda.region_id, "year": agenda.year, "title": agenda.title,
            "summary": "", "starts_on": "", "ends_on": "", "is_public": "on",
            "objectives-TOTAL_FORMS": 2, "objectives-INITIAL_FORMS": 1,
            "objectives-MIN_NUM_FORMS": 1, "objectives-MAX_NUM_FORMS": 1000,
            "objectives-0-id": objective.pk, "objectives-0-title": objective.title,
            "objectives-0-topic": "", "objectives-0-description": "", "objectives-0-ORDER": 1,
            "objectives-0-DELETE": "1",
            "objectives-1-id": "", "objectives-1-title": "Otro objetivo",
            "objectives-1-topic": "", "objectives-1-description": "", "objectives-1-ORDER": 2}
    response = coordinator_client.post(f"{AGENDAS}edit/{agenda.pk}/", data)
    assert response.status_code == 200
    assert "tiene líneas de acción" in response.content.decode()
    assert ActionLine.objects.filter(pk=own_line.pk).exists()
    assert agenda.objectives.count() == 1


def test_one_agenda_per_region_and_year(coordinator_client, own_line):
    agenda = own_line.objective.agenda
    data = {"region": agenda.region_id, "year": agenda.year, "title": "Duplicada",
            "summary": "", "starts_on": "", "ends_on": "", "is_public": "on",
            "objectives-TOTAL_FORMS": 1, "objectives-INITIAL_FORMS": 0,
            "objectives-MIN_NUM_FORMS": 1, "objectives-MAX_NUM_FORMS": 1000,
            "objectives-0-title": "Objetivo", "objectives-0-topic": "",
            "objectives-0-description": "", "objectives-0-ORDER": 1, "objectives-0-id": ""}
    response = coordinator_client.post(f"{AGENDAS}add/", data)
    assert response.status_code == 200
    assert "ya tiene su agenda conjunta de ese año" in response.content.decode()
    assert JointAgenda.objects.filter(title="Duplicada").count() == 0


@pytest.mark.parametrize("pk", ["0", "-1", str(2**63), "abc"])
def test_odd_ids_never_answer_500(coordinator_client, pk):
    for base in (LINES, AGENDAS):
        assert coordinator_client.get(f"{base}edit/{pk}/").status_code in (302, 403, 404)
    response = coordinator_client.get(f"{LINES}?region={pk}&status=nope&responsible={pk}")
    assert response.status_code == 200


def test_record_follow_up_is_refused_outside_the_actors_region(other_line, officer):
    with pytest.raises(PermissionDenied):
        record_follow_up(officer, other_line, note="Intento ajeno", new_status="done")
    other_line.refresh_from_db()
    assert other_line.status == ActionLineStatus.PLANNED and not other_line.follow_ups.exists()


def test_record_follow_up_applies_the_latest_status(own_line, officer):
    record_follow_up(officer, own_line, note="Arranque", new_status=ActionLineStatus.IN_PROGRESS,
                     on=dt.date(2026, 2, 1))
    record_follow_up(officer, own_line, note="Nota sin cambio", on=dt.date(2026, 3, 1))
    own_line.refresh_from_db()
    assert own_line.status == ActionLineStatus.IN_PROGRESS
    record_follow_up(officer, own_line, note="Concluida", new_status=ActionLineStatus.DONE,
                     on=dt.date(2026, 4, 1))
    own_line.refresh_from_db()
    assert own_line.status == ActionLineStatus.DONE and own_line.follow_ups.count() == 3


# --- Campaigns that serve a line --------------------------------------------------------------

def test_a_campaign_linked_to_a_line_shows_in_the_lines_listing(coordinator_client, own_line,
                                                                infoem):
    from tests.campaigns.factories import CampaignFactory

    campaign = CampaignFactory(name="Campaña Conoce tu derecho", institution=infoem)
    campaign.action_lines.set([own_line])
    campaign.save()
    html = coordinator_client.get(LINES).content.decode()
    assert "Campaña Conoce tu derecho" in html
    html = coordinator_client.get(f"{LINES}edit/{own_line.pk}/").content.decode()
    assert "Campaña Conoce tu derecho" in html


def test_campaign_form_offers_only_lines_of_the_officers_region(officer_client, own_line,
                                                                other_line):
    html = officer_client.get("/admin/snippets/campaigns/campaign/add/").content.decode()
    assert "Línea del Centro" in html and "Línea del Sureste" not in html


# --- Public page and open data ----------------------------------------------------------------

def test_region_page_shows_lines_events_and_follow_up(client, own_line, infoem):
    published = EventFactory(title="Foro regional publicado", live=True)
    draft = EventFactory(title="Borrador de evento", live=False)
    own_line.events.set([published, draft])
    own_line.save()
    record_follow_up(UserFactory(username="c2", groups=[rules.COORDINATION]), own_line,
                     note="Se instaló la mesa de trabajo.", new_status="in_progress",
                     on=dt.date(2026, 1, 20))
    html = client.get(reverse("network:agenda_region", args=["centro"])).content.decode()
    assert "Línea del Centro" in html and "Objetivo del Centro" in html
    assert "INFOEM" in html and "Foro regional publicado" in html
    assert "Borrador de evento" not in html
    assert "Se instaló la mesa de trabajo." in html and "En curso" in html
    assert client.get(reverse("network:agendas")).status_code == 200


def test_private_agenda_is_not_shown_nor_in_open_data(client, own_line):
    JointAgenda.objects.filter(pk=own_line.objective.agenda_id).update(is_public=False)
    html = client.get(reverse("network:agenda_region", args=["centro"])).content.decode()
    assert "Línea del Centro" not in html
    body = json.loads(client.get("/datos/agendas.json").content)
    assert body["count"] == 0 and body["results"] == []


def test_unknown_region_is_404(client):
    assert client.get("/agendas/no-existe/").status_code == 404


def test_open_data_lists_each_line(client, own_line, other_line):
    response = client.get("/datos/agendas.json")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Línea del Centro" in text and "Línea del Sureste" in text and "INFOEM" in text
    csv = b"".join(client.get("/datos/agendas.csv").streaming_content).decode()
    assert "linea_de_accion" in csv and "Línea del Sureste" in csv


def test_agenda_models_purge_the_page_cache():
    assert {JointAgenda, ActionLine, FollowUp} <= set(pagecache.registered_models())


# --- Dashboards -------------------------------------------------------------------------------

def test_indicators_count_lines_by_status_in_the_scope(own_line, other_line, centro):
    ActionLine.objects.filter(pk=own_line.pk).update(status=ActionLineStatus.DONE)
    period = Period.quarter(2026, 1)
    section = next(s for s in sections(Scope(period, region_id=centro.pk)) if s.key == "agendas")
    figures = {str(f.label): f.value for f in section.figures}
    assert figures == {"Líneas de acción del año": 1, "Líneas de acción cumplidas": 1}
    national = next(s for s in sections(Scope(period)) if s.key == "agendas")
    rows = dict(national.series[0].rows)
    assert rows["Cumplida"] == 1 and rows["Programada"] == 1


def test_deleting_an_agenda_with_lines_is_refused_without_500(coordinator_client, own_line):
    agenda = own_line.objective.agenda
    response = coordinator_client.post(f"{AGENDAS}delete/{agenda.pk}/")
    assert response.status_code < 500
    assert JointAgenda.objects.filter(pk=agenda.pk).exists()
    assert ActionLine.objects.filter(pk=own_line.pk).exists()
