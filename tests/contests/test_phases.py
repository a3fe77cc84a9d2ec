"""A call's phase comes from its dates, the same for one call and for querysets; jury dates
are checked when staff save the call. Time is frozen by passing ``now``."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from contests.enums import CallPhase
from contests.models import ContestCallPage, ResultsPublication
from tests.contests.factories import CallFactory

pytestmark = pytest.mark.django_db

QUERIES = {CallPhase.UPCOMING: "upcoming", CallPhase.OPEN: "open", CallPhase.CLOSED: "closed",
           CallPhase.IN_REVIEW: "in_review", CallPhase.RESULTS: "with_results"}


@pytest.mark.parametrize(("factory_phase", "phase"), [
    ("upcoming", CallPhase.UPCOMING), ("open", CallPhase.OPEN), ("closed", CallPhase.CLOSED),
    ("in_review", CallPhase.IN_REVIEW), ("results", CallPhase.RESULTS)])
def test_each_phase_is_found_by_its_query_only(site, factory_phase, phase):
    call = CallFactory(phase=factory_phase)
    now = timezone.now()
    assert call.phase_at(now) == phase
    for each, query in QUERIES.items():
        found = getattr(ContestCallPage.objects, query)(now=now).filter(pk=call.pk).exists()
        assert found == (each == phase), (phase, query)


def test_the_grace_minutes_keep_a_call_open_to_the_minute(site):
    call = CallFactory(phase="open")
    closes = call.closes_at
    call.grace_minutes = 30
    call.save()
    for minutes, phase in ((29, CallPhase.OPEN), (30, CallPhase.OPEN), (31, CallPhase.IN_REVIEW)):
        at = closes + dt.timedelta(minutes=minutes)
        assert call.phase_at(at) == phase
        assert ContestCallPage.objects.open(now=at).filter(pk=call.pk).exists() == (phase == CallPhase.OPEN)


def test_results_wait_for_their_date_even_when_published(site):
    call = CallFactory(phase="in_review")
    ResultsPublication.objects.create(call=call)
    call = ContestCallPage.objects.get(pk=call.pk)
    assert call.phase_at(call.results_at - dt.timedelta(seconds=1)) == CallPhase.IN_REVIEW
    assert call.phase_at(call.results_at) == CallPhase.RESULTS
    assert ContestCallPage.objects.with_results(now=call.results_at).filter(pk=call.pk).exists()


@pytest.mark.parametrize(("starts", "ends", "field", "message"), [
    (1, None, "jury_ends_on", "o deje ambos vacíos"),
    (None, 5, "jury_starts_on", "o deje ambos vacíos"),
    (5, 2, "jury_ends_on", "no puede ser anterior"),
    (-20, 5, "jury_starts_on", "después del cierre"),
    (2, 60, "jury_ends_on", "antes de la publicación de resultados"),
])
def test_half_set_or_inverted_jury_dates_are_refused(site, starts, ends, field, message):
    call = CallFactory(phase="open")
    day = timezone.localdate(call.closes_at)
    call.jury_starts_on = day + dt.timedelta(days=starts) if starts is not None else None
    call.jury_ends_on = day + dt.timedelta(days=ends) if ends is not None else None
    with pytest.raises(ValidationError) as refused:
        call.full_clean()
    assert message in " ".join(refused.value.message_dict[field])


def test_consistent_jury_dates_are_accepted(site):
    call = CallFactory(phase="open")
    day = timezone.localdate(call.closes_at)
    call.jury_starts_on, call.jury_ends_on = day + dt.timedelta(days=1), day + dt.timedelta(days=10)
    call.full_clean()


def test_the_contests_page_lists_open_and_upcoming_calls_by_phase(site, client):
    open_call, upcoming = CallFactory(phase="open"), CallFactory(phase="upcoming")
    in_review = CallFactory(phase="in_review")
    page = client.get("/concursos/").content.decode()
    assert open_call.title in page and upcoming.title in page
    assert in_review.title not in page
