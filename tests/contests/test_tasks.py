"""Contest jobs are thin: keyword ids, and a row gone by the time the job runs is no error."""

import pytest
from django.core import mail

from contests import tasks
from contests.models import Entry
from tests.contests.factories import CallFactory, EntryFactory

pytestmark = pytest.mark.django_db


def test_a_receipt_for_a_deleted_entry_is_dropped_quietly_not_retried(site):
    result = tasks.send_receipt.apply(kwargs={"entry_id": 987654321})
    assert result.successful() and result.result is False
    assert result.info is False and not mail.outbox


def test_a_receipt_is_sent_for_an_existing_entry(site):
    entry = EntryFactory(category=CallFactory().categories.get(code="SPOT"))
    assert tasks.send_receipt.apply(kwargs={"entry_id": entry.pk}).result is True
    assert entry.folio in mail.outbox[0].subject


def test_jobs_take_keyword_ids_only(site):
    with pytest.raises(TypeError):
        tasks.send_receipt.run(1)
    assert tasks.send_receipt.name == "contests.send_receipt"


@pytest.mark.parametrize("task", [tasks.prepare_blind_copies, tasks.send_decisions])
def test_call_jobs_for_a_deleted_call_do_nothing(site, task):
    assert task.apply(kwargs={"call_id": 987654321}).result == 0


def test_submitting_enqueues_the_receipt_after_commit(site, django_capture_on_commit_callbacks):
    from contests.domain import entries

    entry = EntryFactory(category=CallFactory().categories.get(code="SPOT"))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        entries.after_submission(entry.pk)
    # Only the contests' own jobs are counted (not, say, open-data rebuilds).
    callbacks = [c for c in callbacks if c.__module__ == "contests.jobs"]
    assert len(callbacks) == 1 and not mail.outbox
    Entry.objects.filter(pk=entry.pk).delete()
    callbacks[0]()  # the entry vanished before the job ran: nothing, and no error
    assert not mail.outbox
