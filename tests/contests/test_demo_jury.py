"""The demo's call in its jury phase: whoever tries Enlace as the demo juror finds entries to
score blind, not an empty list (the open call has none until someone enters it)."""

import pytest

from contests.demo import REVIEW_ENTRIES, create_call_in_review
from contests.enums import EntryStatus
from contests.models import Entry
from tests.contests.factories import JurorFactory
from tests.contests.test_jury_scoring_flow import juror_client

pytestmark = pytest.mark.django_db


def test_the_demo_juror_has_the_previous_editions_entries_to_score_blind(site):
    juror = JurorFactory()
    call = create_call_in_review(site, juror)

    entries = Entry.objects.filter(call=call)
    assert entries.count() == len(REVIEW_ENTRIES)
    assert set(entries.values_list("status", flat=True)) == {EntryStatus.SUBMITTED}
    assert all(entry.files.filter(slot="audio").exists() for entry in entries)
    page = juror_client(juror).get("/jurado/").content.decode()
    assert f"Ha calificado 0 de {len(REVIEW_ENTRIES)} obras" in page
    for _username, name, title in REVIEW_ENTRIES:
        assert title in page
        assert name not in page  # blind: no entrant's name reaches the juror
    first = entries.order_by("public_id").first()
    review = juror_client(juror).get(f"/jurado/obra/{first.public_id}/").content.decode()
    assert f"Obra 1 de {len(REVIEW_ENTRIES)}" in review
    assert "Claridad del mensaje" in review  # the rubric's first criterion, to be scored
    assert not any(name in review for _u, name, _t in REVIEW_ENTRIES)


def test_the_demo_entrants_of_that_call_cannot_sign_in(site):
    create_call_in_review(site, JurorFactory())
    for username, _name, _title in REVIEW_ENTRIES:
        owner = Entry.objects.get(owner__username=username).owner
        assert not owner.has_usable_password()
