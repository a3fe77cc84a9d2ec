"""Permissions of publications as named predicates (django-rules)."""

from __future__ import annotations

import rules

from hub.roles import EDITORIAL
from network.rules import is_coordinator


@rules.predicate
def is_committee_member(user) -> bool:
    """A member of the Comité Editorial."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active
                and user.groups.filter(name=EDITORIAL).exists())


@rules.predicate
def is_superuser(user) -> bool:
    return bool(getattr(user, "is_superuser", False) and user.is_active)


# Pages of the publications section (magazine, issues, articles, booklets, editions).
may_edit_section = is_coordinator | is_committee_member | is_superuser

# Turning an accepted call entry into a draft article (staff who manage contests and edit
# the section: Coordinación, or the committee).
may_convert_entries = is_coordinator | is_committee_member | is_superuser

rules.add_perm("publications.edit_section", may_edit_section)
rules.add_perm("publications.convert_entries", may_convert_entries)
