"""Who may see which figures (named predicates, django-rules).

Coordinación sees the national figures and any region or institution; a communications officer
only their own institution's (a scope naming anything else is refused). Other staff (the
Comité Editorial) and jurors see no dashboard.
"""

from __future__ import annotations

import rules

from hub.indicators import Scope
from network.rules import is_coordinator, is_officer, officer_institution_id


@rules.predicate
def has_institution(user) -> bool:
    return officer_institution_id(user) is not None


can_view_dashboard = is_coordinator | (is_officer & has_institution)


@rules.predicate
def can_view_scope(user, scope: Scope) -> bool:
    """Coordinación: any scope; an officer: exactly their own institution."""
    if is_coordinator(user):
        return True
    own = officer_institution_id(user) if is_officer(user) else None
    return own is not None and scope.region_id is None and scope.institution_id == own


# Generating a report draft follows the same rule as seeing its figures.
can_generate_report = can_view_scope


@rules.predicate
def can_edit_report(user, page) -> bool:
    """A report of an institution is edited by its officers and Coordinación; national and
    regional reports by Coordinación only."""
    if is_coordinator(user):
        return True
    own = officer_institution_id(user) if is_officer(user) else None
    return own is not None and getattr(page, "institution_id", None) == own


rules.add_perm("hub.view_dashboard", can_view_dashboard)
rules.add_perm("hub.view_scope", can_view_scope)
