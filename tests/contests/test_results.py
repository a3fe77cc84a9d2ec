"""Results, one behaviour per test: places, publication (its own row, public from its date),
open data without minors' names, the archive, and decision e-mails sent once."""

import datetime as dt
import json

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from contests.domain import results
from contests.domain.errors import ContestError
from contests.enums import AuditAction
from contests.models import AuditEvent, ContestCallPage, DecisionEmail, ResultsPublication
from tests.contests.conftest import category, close, submitted_spot
from tests.contests.factories import AwardFactory, CallFactory, EntryFactory, ProfileFactory
from tests.opendata_support import rows_from_the_cache

pytestmark = pytest.mark.django_db


def spot(call):
    return category(call, "SPOT")


def reload(call):
    return ContestCallPage.objects.get(pk=call.pk)


def test_a_place_is_given_once_per_category(site):
    call = CallFactory(phase="in_review")
    first, second = EntryFactory(category=spot(call)), EntryFactory(category=spot(call))
    results.set_award(first, 1)
    with pytest.raises(ContestError, match="ya está asignado"):
        results.set_award(second, 1)


def test_results_are_not_published_while_the_call_is_open(site):
    call = CallFactory(phase="open")
    with pytest.raises(ContestError, match="sigue abierta"):
        results.publish_results(call)
    assert not ResultsPublication.objects.exists()


def test_publishing_is_recorded_in_its_own_row_with_the_actor(site, coordinator):
    call = CallFactory(phase="in_review")
    revisions = call.revisions.count()
    content = call.get_latest_revision().content
    results.publish_results(call, actor=coordinator)
    publication = ResultsPublication.objects.get(call=call)
    assert publication.published_by == coordinator and publication.published_at <= timezone.now()
    assert call.revisions.count() == revisions and call.get_latest_revision().content == content
    assert AuditEvent.objects.get(action=AuditAction.RESULTS).actor == coordinator


def test_publishing_again_keeps_the_first_publication(site, coordinator):
    call = CallFactory(phase="in_review")
    results.publish_results(call, actor=coordinator)
    first = ResultsPublication.objects.get().published_at
    results.publish_results(reload(call), actor=None)
    assert ResultsPublication.objects.get().published_at == first


def test_publishing_the_page_again_never_unpublishes_the_results(site, coordinator):
    call = CallFactory(phase="in_review")
    results.publish_results(call, actor=coordinator)
    page = reload(call)
    page.intro = "Texto corregido"
    page.save_revision(user=coordinator).publish(user=coordinator)
    assert reload(call).results_published_at is not None


def test_copying_a_call_makes_an_edition_without_results(site, coordinator):
    call = CallFactory(phase="results")
    copy = call.copy(update_attrs={"slug": "nueva-edicion", "title": "Nueva edición"})
    assert reload(call).results_published_at and not reload(copy).results_published_at


def test_open_data_lists_awarded_works_only_from_the_results_date(site, client):
    call = CallFactory(phase="in_review")
    winner = EntryFactory(category=spot(call))
    AwardFactory(entry=winner, place=1)
    results.publish_results(call)
    assert json.loads(client.get("/datos/resultados-concursos.json").content)["count"] == 0
    ContestCallPage.objects.filter(pk=call.pk).update(results_at=timezone.now() - dt.timedelta(minutes=1))
    data = json.loads(client.get("/datos/resultados-concursos.json").content)
    assert data["count"] == 1


def test_open_data_never_names_a_minor(site, client):
    call = CallFactory(phase="results")
    adult = EntryFactory(category=spot(call), owner=ProfileFactory(full_name="Ana Pérez").user)
    minor = EntryFactory(category=spot(call), owner_was_minor=True,
                         owner=ProfileFactory(full_name="Beto Niño").user)
    AwardFactory(entry=adult, place=1)
    AwardFactory(entry=minor, place=2)
    body = client.get("/datos/resultados-concursos.json").content.decode()
    rows = {r["folio"]: r for r in json.loads(body)["results" if "results" in body else "datos"]}
    assert rows[adult.folio]["autoria"] == "Ana Pérez"
    assert "menor de edad" in rows[minor.folio]["autoria"] and "Beto" not in body


def test_the_archive_shows_and_serves_awarded_works_only(site, call, client):
    winner, loser = submitted_spot(call, "ana"), submitted_spot(call, "caro")
    results.set_award(winner, 1)
    ContestCallPage.objects.filter(pk=call.pk).update(
        opens_at=timezone.now() - dt.timedelta(days=40), closes_at=timezone.now() - dt.timedelta(days=2),
        results_at=timezone.now() - dt.timedelta(days=1))
    results.publish_results(reload(call))
    archive = client.get("/acervo/").content.decode()
    assert winner.title in archive and loser.title not in archive
    for folio, expected in ((winner.folio, 200), (loser.folio, 404)):
        response = client.get(f"/acervo/{folio}/audio/")
        close(response)
        assert response.status_code == expected
    assert "1º lugar" in client.get(reload(call).url).content.decode()


def test_decision_emails_are_drafts_until_staff_send_them_once(site, coordinator):
    call = CallFactory(phase="in_review")
    winner = EntryFactory(category=spot(call))
    AwardFactory(entry=winner, place=1)
    EntryFactory(category=spot(call))
    assert results.publish_results(call, actor=coordinator) == 2 and not mail.outbox
    decision = DecisionEmail.objects.get(entry=winner)
    assert "1º lugar" in decision.body
    assert results.send_decision(decision, actor=coordinator)
    assert not results.send_decision(decision, actor=coordinator), "never twice"
    assert [m.to for m in mail.outbox] == [[winner.owner.email]]


def test_send_all_hands_the_notices_to_a_job_and_sends_each_once(site, coordinator,
                                                                 django_capture_on_commit_callbacks):
    call = CallFactory(phase="in_review")
    entries = [EntryFactory(category=spot(call)) for _n in range(3)]
    results.publish_results(call, actor=coordinator)
    staff = Client()
    staff.force_login(coordinator)
    for _n in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            staff.post(f"/admin/concursos/{call.pk}/resultados/", {"action": "send_all"})
    assert sorted(m.to[0] for m in mail.outbox) == sorted(e.owner.email for e in entries)
    assert not DecisionEmail.objects.filter(sent_at__isnull=True).exists()


def test_a_changed_awarded_work_is_served_from_the_cache_after_the_rebuild(
        site, client, jobs_inline, django_capture_on_commit_callbacks):
    """A change to a published work asks for the rebuild of its open data: the next request
    finds the new body in the cache."""
    with django_capture_on_commit_callbacks(execute=True):  # committed, as in a real save
        call = CallFactory(phase="results")
        winner = EntryFactory(category=spot(call), title="Saber es poder")
        AwardFactory(entry=winner, place=1)
    client.get("/datos/resultados-concursos.json")
    with django_capture_on_commit_callbacks(execute=True):
        winner.title = "Saber para decidir"
        winner.save()
    rows = rows_from_the_cache(client, "resultados-concursos")
    assert [row["titulo"] for row in rows] == ["Saber para decidir"]
