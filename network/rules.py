"""Named permission predicates, used alike by admin views, public views and domain code."""

from __future__ import annotations

from hub.roles import COMMUNICATIONS, COORDINATION, EDITORIAL, JURY, STAFF_GROUPS

__all__ = ["COMMUNICATIONS", "COORDINATION", "EDITORIAL", "JURY", "STAFF_GROUPS"]


def _group_names(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_enlace_groups", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._enlace_groups = cached
    return cached


def is_coordinator(user) -> bool:
    """Commission staff: acts for every institution and for the SNT itself."""
    return bool(getattr(user, "is_superuser", False)) or COORDINATION in _group_names(user)


def is_officer(user) -> bool:
    """A communications officer of one institution."""
    return COMMUNICATIONS in _group_names(user)


def officer_institution_id(user) -> int | None:
    """The institution an officer acts for, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    profile = getattr(user, "staff_profile", None) if hasattr(user, "staff_profile") else None
    return profile.institution_id if profile else None


def can_act_for_institution(user, institution_id: int | None) -> bool:
    """Coordinación acts for all; an officer only for their own institution."""
    if is_coordinator(user):
        return True
    return (
        is_officer(user)
        and institution_id is not None
        and institution_id == officer_institution_id(user)
    )
