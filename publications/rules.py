"""Who may see and do what in publications: named predicates (django-rules).

- ``publications.view_author_email``: an author's e-mail (never public) is shown in the admin
  only to the Comité Editorial and Coordinación (superusers too).
"""

from __future__ import annotations

import rules

from hub.roles import EDITORIAL
from network.rules import is_coordinator


@rules.predicate
def is_committee_member(user) -> bool:
    """A member of the Comité Editorial."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.groups.filter(name=EDITORIAL).exists()


can_see_author_email = is_committee_member | is_coordinator

rules.add_perm("publications.view_author_email", can_see_author_email)
