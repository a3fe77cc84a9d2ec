"""Who may see and do what in publications: named predicates (django-rules).

- ``publications.see_reading_stats``: the reading statistics screen and its CSV (the Comité
  Editorial and Coordinación; superusers).
"""

from __future__ import annotations

import rules

from hub.roles import COORDINATION, EDITORIAL


def _group_names(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_enlace_groups", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._enlace_groups = cached
    return cached


@rules.predicate
def is_committee_member(user) -> bool:
    """A member of the Comité Editorial."""
    return EDITORIAL in _group_names(user)


@rules.predicate
def is_coordination(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or COORDINATION in _group_names(user)


can_see_reading_stats = is_committee_member | is_coordination

rules.add_perm("publications.see_reading_stats", can_see_reading_stats)
