"""Who may do what in publications: named predicates (django-rules)."""

from __future__ import annotations

import rules

from hub.roles import EDITORIAL
from network.rules import is_coordinator


@rules.predicate
def is_editorial_committee(user) -> bool:
    """A member of the Comité Editorial."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.groups.filter(name=EDITORIAL).exists()


#: Sees the "reforma pendiente" queue of booklets (dashboard panel).
can_watch_booklet_editions = is_coordinator | is_editorial_committee
