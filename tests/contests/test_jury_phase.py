"""When the jury works: assignment after the deadline, scoring only in the jury phase, and
an unassigned juror's scores no longer count (and the log says so)."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from contests.domain import jury, results
from contests.domain.errors import ContestError
from contests.enums import AuditAction
from contests.models import Assignment, AuditEvent, Review
from tests.contests.factories import (
    AssignmentFactory,
    CallFactory,
    EntryFactory,
    ExtensionFactory,
    JurorFactory,
    ReviewFactory,
)

pytestmark = pytest.mark.django_db


def spot(call):
    return call.categories.get(code="SPOT")


def scores(call, value):
    return {str(c.pk): value for c in call.criteria.all()}


def test_unassigning_a_juror_drops_their_scores_from_the_ranking_and_logs_it(site, coordinator_client,
                                                                              coordinator):
    call = CallFactory(phase="in_review")
    entry = EntryFactory(category=spot(call))
    generous, strict = JurorFactory(), JurorFactory()
    ReviewFactory(entry=entry, juror=generous, scores=scores(call, 10))
    ReviewFactory(entry=entry, juror=strict, scores=scores(call, 5))
    assert results.ranking(call)[spot(call)][0].score == 75.0

    assignment = Assignment.objects.get(entry=entry, juror=generous)
    response = coordinator_client.post(f"/admin/concursos/{call.pk}/jurado/",
                                       {"action": "unassign", "pk": assignment.pk})
    assert response.status_code == 302
    row = results.ranking(call)[spot(call)][0]
    assert (row.score, row.reviews) == (50.0, 1)
    assert not Review.objects.filter(entry=entry, juror=generous).exists()
    event = AuditEvent.objects.get(action=AuditAction.UNASSIGNED)
    assert event.actor == coordinator and event.entry == entry and generous.email in event.detail


def test_a_review_without_its_assignment_never_counts(site):
    call = CallFactory(phase="in_review")
    entry = EntryFactory(category=spot(call))
    ReviewFactory(entry=entry, scores=scores(call, 10))
    stray = ReviewFactory(entry=entry, scores=scores(call, 0))
    Assignment.objects.filter(entry=entry, juror=stray.juror).delete()
    assert results.ranking(call)[spot(call)][0].score == 100.0


def test_no_juror_is_assigned_while_the_call_is_open(site, coordinator_client):
    call = CallFactory(phase="open")
    entry = EntryFactory(category=spot(call))
    with pytest.raises(ContestError, match="sigue abierta"):
        jury.assign(entry, JurorFactory())
    with pytest.raises(ContestError, match="sigue abierta"):
        jury.assign_balanced(call)
    response = coordinator_client.post(f"/admin/concursos/{call.pk}/jurado/", {"action": "balance"},
                                       follow=True)
    assert "sigue abierta" in response.content.decode()
    assert not Assignment.objects.exists()


def test_jurors_prepared_before_the_jury_phase_cannot_score_yet(site):
    call = CallFactory(phase="closed")
    entry = EntryFactory(category=spot(call))
    juror = JurorFactory()
    jury.assign(entry, juror)  # preparing the jury between the deadline and its first day is fine
    with pytest.raises(ContestError, match="La evaluación empieza el"):
        jury.save_review(entry, juror, scores=scores(call, 8), comment="", abstained=False)
    client = Client()
    client.force_login(juror)
    page = client.get(f"/jurado/obra/{entry.public_id}/")
    assert "La evaluación empieza el" in page.content.decode()
    posted = client.post(f"/jurado/obra/{entry.public_id}/", {f"c{c.pk}": 8 for c in call.criteria.all()})
    assert posted.status_code == 400 and not Review.objects.exists()


def test_scoring_opens_with_the_jury_phase(site):
    call = CallFactory(phase="in_review")
    entry = EntryFactory(category=spot(call))
    juror = AssignmentFactory(entry=entry).juror
    jury.save_review(entry, juror, scores=scores(call, 8), comment="", abstained=False)
    assert Review.objects.get().scores == scores(call, 8)


def test_an_entry_with_a_running_extension_is_not_scored(site):
    call = CallFactory(phase="in_review", jury_starts_on=None, jury_ends_on=None)
    entry = EntryFactory(category=spot(call))
    ExtensionFactory(call=call, entrant=entry.owner, until=timezone.now() + dt.timedelta(hours=3))
    juror = AssignmentFactory(entry=entry).juror
    with pytest.raises(ContestError, match="La evaluación empieza el"):
        jury.save_review(entry, juror, scores=scores(call, 8), comment="", abstained=False)


def test_scoring_closes_when_the_results_are_published(site):
    call = CallFactory(phase="results")
    entry = EntryFactory(category=spot(call))
    juror = AssignmentFactory(entry=entry).juror
    with pytest.raises(ContestError, match="ya se publicaron"):
        jury.save_review(entry, juror, scores=scores(call, 8), comment="", abstained=False)
