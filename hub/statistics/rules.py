"""Who may see and submit quarterly statistics: named predicates over network.rules.

- ``hub.manage_statistic_fields``: define the extra fields of the template (Coordinación).
- ``hub.submit_statistics``: upload or type figures (Coordinación: any institution; an
  officer: only their own, see ``can_submit_for``).
"""

from __future__ import annotations

import rules

from network.rules import can_act_for_institution, is_coordinator, is_officer, officer_institution_id

can_manage_statistic_fields = is_coordinator


@rules.predicate
def can_submit_statistics(user) -> bool:
    """Coordinación, or an officer assigned to an institution."""
    if is_coordinator(user):
        return True
    return bool(is_officer(user)) and officer_institution_id(user) is not None


@rules.predicate
def can_submit_for(user, institution_id) -> bool:
    """May submit figures of this institution."""
    return bool(can_act_for_institution(user, institution_id))


def submitter_institution_id(user) -> int | None:
    """The one institution an officer's uploads are limited to; None for Coordinación."""
    return None if is_coordinator(user) else officer_institution_id(user)


def scope_reports(user, qs):
    return qs.in_scope_of(user)


def scope_imports(user, qs):
    """Coordinación sees every upload; an officer those of their institution."""
    if is_coordinator(user):
        return qs
    own = officer_institution_id(user) if is_officer(user) else None
    return qs.filter(institution_id=own) if own is not None else qs.none()


rules.add_perm("hub.manage_statistic_fields", can_manage_statistic_fields)
rules.add_perm("hub.submit_statistics", can_submit_statistics)
