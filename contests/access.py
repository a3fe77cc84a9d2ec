"""Who may see what of the contests. One place, used by views, admin and tests."""

from __future__ import annotations

from network.rules import is_coordinator


def can_manage(user) -> bool:
    """Contest staff: entries, jury, results, exports, audit log."""
    return bool(user.is_authenticated) and (is_coordinator(user) or user.has_perm("contests.manage_contests"))


def can_see_entrant_data(user) -> bool:
    return bool(user.is_authenticated) and (is_coordinator(user)
                                            or user.has_perm("contests.view_entrant_data"))


def can_see_stats(user) -> bool:
    return bool(user.is_authenticated) and (can_manage(user)
                                            or user.has_perm("contests.view_contest_stats"))


def is_juror_of(user, entry) -> bool:
    return bool(user.is_authenticated) and entry.assignments.filter(juror=user).exists()
