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
