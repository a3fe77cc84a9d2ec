"""Demo content: the national report draft of the last closed quarter (idempotent)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from hub.indicators import Period, Scope

from .reports import generate_report


def build_report_demo(username: str = "admin") -> tuple[object, bool] | None:
    actor = get_user_model().objects.filter(username=username, is_superuser=True).first()
    if actor is None:
        return None
    return generate_report(actor, Scope(Period.current_quarter().previous_quarter()))
