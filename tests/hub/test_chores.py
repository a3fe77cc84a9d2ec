"""Periodic chores of beat that keep tables from growing for good."""

from datetime import timedelta

from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from hub.celery import app
from hub.tasks import clear_expired_sessions


def test_beat_clears_expired_sessions_every_hour():
    """Django never deletes an expired session by itself: without this entry every sign-in that
    ended without signing out stayed in django_session for good (soak: one row per staff sign-in,
    none ever deleted)."""
    entries = [e for e in app.conf.beat_schedule.values()
               if e["task"] == "hub.clear_expired_sessions"]
    assert len(entries) == 1
    assert entries[0]["schedule"] <= 3600
    assert "hub.clear_expired_sessions" in app.tasks


def test_expired_sessions_are_deleted_and_live_ones_kept(db):
    live, expired = SessionStore(), SessionStore()
    live["user"] = expired["user"] = "x"
    live.create()
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1))

    assert clear_expired_sessions() == 1

    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
    assert clear_expired_sessions() == 0


def test_beat_clears_old_access_logs_every_hour():
    """django-axes writes one access-log row per sign-in (user name, address, browser) and
    never deletes it (soak: +1 row per staff sign-in, both configurations)."""
    entries = [e for e in app.conf.beat_schedule.values()
               if e["task"] == "hub.clear_old_access_logs"]
    assert len(entries) == 1
    assert entries[0]["schedule"] <= 3600
    assert "hub.clear_old_access_logs" in app.tasks


def test_access_logs_older_than_the_retention_are_deleted(db, settings):
    from axes.models import AccessLog

    from hub.tasks import clear_old_access_logs

    settings.ENLACE_ACCESS_LOG_DAYS = 30
    recent = AccessLog.objects.create(username="reciente", ip_address="127.0.0.1",
                                      user_agent="x", path_info="/admin/login/")
    old = AccessLog.objects.create(username="antigua", ip_address="127.0.0.1",
                                   user_agent="x", path_info="/admin/login/")
    AccessLog.objects.filter(pk=old.pk).update(
        attempt_time=timezone.now() - timedelta(days=30, seconds=1))

    assert clear_old_access_logs() == 1

    assert list(AccessLog.objects.values_list("pk", flat=True)) == [recent.pk]


def test_mail_files_older_than_the_retention_are_deleted_and_recent_ones_kept(settings, tmp_path):
    """Without an SMTP server every e-mail is a file under var/mail/ (each request to amplify
    a post writes one per network contact), and none was ever deleted."""
    import os
    import time

    from hub.tasks import clear_old_mail_files

    settings.EMAIL_BACKEND = "hub.mail.PrivateFileEmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    settings.ENLACE_MAIL_FILES_DAYS = 30
    old, recent, other = tmp_path / "old.log", tmp_path / "recent.log", tmp_path / "notas.txt"
    for path in (old, recent, other):
        path.write_text("Subject: Aviso\n")
    month_ago = time.time() - 30 * 86400 - 1
    os.utime(old, (month_ago, month_ago))
    os.utime(other, (month_ago, month_ago))

    assert clear_old_mail_files() == 1

    assert sorted(p.name for p in tmp_path.iterdir()) == ["notas.txt", "recent.log"]
    entries = [e for e in app.conf.beat_schedule.values() if e["task"] == "hub.clear_old_mail_files"]
    assert len(entries) == 1 and entries[0]["schedule"] <= 86400
