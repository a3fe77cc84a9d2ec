"""Files whose job was lost (a worker killed while making them, a broker emptied or down when
the page was published, a retry that never came) are asked again by the sweep, and made."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from publications.domain import files
from publications.models import PublicationFile, PublicationSettings
from tests.publications import factories as f
from tests.publications.files_support import eager_jobs, needs_pango  # noqa: F401

pytestmark = [pytest.mark.django_db]


def _published_ago(page, delta):
    type(page).objects.filter(pk=page.pk).update(last_published_at=timezone.now() - delta)
    page.refresh_from_db()
    return page


@needs_pango
def test_a_page_published_while_the_broker_lost_its_job_gets_its_pdf(site, eager_jobs):  # noqa: F811
    """Published with the broker down (or emptied before a worker took the message): no row,
    no PDF, nothing in the admin's file list to retry. The sweep asks again and it is made."""
    article = _published_ago(f.article(f.issue(f.magazine(site))), timedelta(minutes=11))
    assert not PublicationFile.objects.filter(page=article).exists()
    assert article.pk in files.repair_lost_jobs()
    (row,) = PublicationFile.objects.filter(page=article)
    assert row.status == "listo" and row.version == 1 and row.attempted_at is not None
    assert files.repair_lost_jobs() == []  # made: nothing more to ask


@needs_pango
def test_a_file_left_pending_by_a_killed_worker_is_made_once_its_attempt_is_old(
        site, eager_jobs):  # noqa: F811
    edition = f.edition(f.booklet(f.booklet_index(site)))
    _published_ago(edition, timedelta(hours=1))
    started = timezone.now() - timedelta(minutes=5)
    for fmt in ("pdf", "epub"):  # the job claimed both and died rendering
        PublicationFile.objects.create(page=edition, format=fmt, attempts=1, attempted_at=started)
    assert files.repair_lost_jobs() == []  # may still be rendering
    PublicationFile.objects.filter(page=edition).update(
        attempted_at=timezone.now() - files.STUCK_AFTER - timedelta(seconds=1))
    assert files.repair_lost_jobs() == [edition.pk]
    assert sorted(PublicationFile.objects.filter(page=edition).values_list("format", "status",
                                                                            "version")) == [
        ("epub", "listo", 1), ("pdf", "listo", 1)]


def test_recent_pages_failures_already_told_and_retries_under_way_are_left_alone(site):
    issue = f.issue(f.magazine(site))
    just_published = f.article(issue)  # its job may still be queued
    told = _published_ago(f.article(issue), timedelta(days=1))
    PublicationFile.objects.create(page=told, format="pdf", status="fallido", attempts=4,
                                   attempted_at=timezone.now() - timedelta(days=1),
                                   committee_notified_at=timezone.now())
    retrying = _published_ago(f.article(issue), timedelta(hours=1))
    PublicationFile.objects.create(page=retrying, format="pdf", status="fallido", attempts=2,
                                   attempted_at=timezone.now() - timedelta(minutes=20))
    asked = files.repair_lost_jobs()
    assert just_published.pk not in asked and told.pk not in asked
    assert retrying.pk not in asked
    # The retry never came: asked again once its wait is long over.
    PublicationFile.objects.filter(page=retrying).update(
        attempted_at=timezone.now() - files.RETRY_LOST_AFTER - timedelta(seconds=1))
    assert retrying.pk in files.repair_lost_jobs()


def test_a_job_interrupted_again_and_again_fails_and_the_committee_is_told_once(
        site, django_capture_on_commit_callbacks):
    """A page whose render kills its worker every time (out of memory) is not asked for
    forever: after MAX_ATTEMPTS interrupted attempts it is FAILED, with a Spanish message."""
    settings = PublicationSettings.for_site(site.get_site())
    settings.committee_email = "comite@enlace.example"
    settings.save()
    article = _published_ago(f.article(f.issue(f.magazine(site))), timedelta(hours=3))
    row = PublicationFile.objects.create(
        page=article, format="pdf", attempts=files.MAX_ATTEMPTS,
        attempted_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert files.repair_lost_jobs() == []
    row.refresh_from_db()
    assert row.status == "fallido" and row.error.startswith(
        "El trabajo que componía el archivo se interrumpió 4 veces sin terminar")
    assert len(mail.outbox) == 1 and row.error in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert files.repair_lost_jobs() == []
    assert len(mail.outbox) == 1


def test_the_sweep_runs_on_the_beat():
    from hub.celery import app

    entry = app.conf.beat_schedule["publications-repair-files"]
    assert entry["task"] == "publications.repair_files" and entry["schedule"] <= 900
    assert "publications.repair_files" in app.tasks


def test_a_backlog_is_asked_for_a_batch_at_a_time(site, monkeypatch):
    """Many pages without files (published before files existed, or during a long outage) are
    asked for REPAIR_BATCH at a time: a sweep never queues again what still waits for a worker
    beyond one batch."""
    monkeypatch.setattr(files, "REPAIR_BATCH", 2)
    issue = f.issue(f.magazine(site))
    articles = [_published_ago(f.article(issue), timedelta(hours=1)) for _ in range(3)]
    first = files.repair_lost_jobs()
    assert len(first) == 2 and set(first) <= {a.pk for a in articles}


@needs_pango
def test_a_page_republished_while_its_job_was_lost_gets_its_new_version(site):
    """A correction published while the broker was down left only the earlier version: readers
    kept downloading the uncorrected PDF, and nothing in the admin said so. The sweep asks for
    the files of the live revision; a republish that changed nothing is asked for once."""
    article = f.article(f.issue(f.magazine(site)), title="Artículo original")
    files.make_files(article)
    assert [(r.format, r.version) for r in files.ready_files(article)] == [("pdf", 1)]
    article.title = "Artículo corregido"  # published; the job's message is lost (not run)
    article.save_revision().publish()
    _published_ago(article, timedelta(minutes=11))
    assert files.repair_lost_jobs() == [article.pk]
    files.make_files(article)  # what the job it asked for does
    rows = PublicationFile.objects.filter(page=article, status="listo")
    assert sorted(rows.values_list("format", "version")) == [("pdf", 1), ("pdf", 2)]
    assert files.repair_lost_jobs() == []
    # Republished without a change: no new version, and asked for once, not every sweep.
    article.save_revision().publish()
    _published_ago(article, timedelta(minutes=11))
    assert files.repair_lost_jobs() == [article.pk]
    assert files.make_files(article) == []
    assert files.repair_lost_jobs() == []
    assert PublicationFile.objects.filter(page=article).count() == 2
