"""Who may see and do what in the network: named predicates (django-rules).

Views, querysets, the admin's scoping (``admin_scope``), templates (``{% has_perm %}``) and
domain code all ask these predicates, so one rule decides everywhere. The plain functions
``is_coordinator(user)``, ``is_officer(user)`` and ``can_act_for_institution(user, id)`` are
predicates too and keep being callable as functions by other apps.

Permissions registered here (``user.has_perm(name, obj)`` through
``rules.permissions.ObjectPermissionBackend``):

- ``network.act_on_row``: create, edit or delete this row (Coordinación: any row; an officer:
  rows of their own institution).
- ``network.view_contacts``: see the contacts of the Red de Vinculación (personal data).
- ``network.manage_network``: the directory-wide screens (imports, agreements, reports).
- ``network.start_roadmap`` (object: an agreement): start its municipal roadmap.
- ``network.update_milestone`` (object: a milestone): record progress and evidence.
- ``network.manage_registrations``: see an event's registrants (personal data), take its
  attendance (Coordinación: any event; an officer: events their institution organises).
"""

from __future__ import annotations

import rules
from django.db.models import Q

from hub.roles import COMMUNICATIONS, COORDINATION, EDITORIAL, JURY, STAFF_GROUPS

__all__ = [
    "COMMUNICATIONS", "COORDINATION", "EDITORIAL", "JURY", "STAFF_GROUPS",
    "can_act_for_institution", "can_act_on", "can_manage_network", "can_manage_registrations",
    "can_view_contacts",
    "institution_ids_of", "is_scoped_model",
    "can_start_roadmap", "can_update_milestone", "can_view_roadmaps", "is_party_of",
    "is_coordinator", "is_officer", "is_officer_of", "is_staff_member",
    "linkable_events", "officer_institution_id", "scope_queryset",
    "can_edit_region_agenda", "officer_region_id", "staff_members",
]


def _group_names(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_enlace_groups", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._enlace_groups = cached
    return cached


@rules.predicate


def is_coordinator(user) -> bool:
    """Commission staff: acts for every institution and for the SNT itself."""
    return bool(getattr(user, "is_superuser", False)) or COORDINATION in _group_names(user)


@rules.predicate


def is_officer(user) -> bool:
    """A communications officer of one institution."""
    return COMMUNICATIONS in _group_names(user)


@rules.predicate


def is_staff_member(user) -> bool:
    """Anyone who works in the admin: a staff flag or a staff group (not a juror alone)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_superuser", False) or getattr(user, "is_staff", False):
        return True
    return bool(_group_names(user) & {COORDINATION, COMMUNICATIONS, EDITORIAL})


def staff_members(users):
    """``users`` limited to those :func:`is_staff_member` admits (the same rule as a query)."""
    return users.filter(Q(is_superuser=True) | Q(is_staff=True)
                        | Q(groups__name__in=[COORDINATION, COMMUNICATIONS, EDITORIAL])).distinct()


def officer_institution_id(user) -> int | None:
    """The institution a staff user acts for (their ``StaffProfile``), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    profile = getattr(user, "staff_profile", None) if hasattr(user, "staff_profile") else None
    return profile.institution_id if profile else None


def institution_ids_of(obj) -> set[int]:
    """The institutions a network row belongs to (an event: its organizers)."""
    label = obj._meta.label_lower
    if label == "network.institution":
        return {obj.pk}
    if label == "network.event":
        if obj.pk is None:
            return set()
        prefetched = getattr(obj, "_prefetched_objects_cache", {}).get("organizers")
        if prefetched is not None:  # a listing's rows: read with the page's query
            return {o.pk for o in prefetched}
        return set(obj.organizers.values_list("pk", flat=True))
    institution_id = getattr(obj, "institution_id", None)
    return {institution_id} if institution_id is not None else set()


@rules.predicate


def can_act_for_institution(user, institution_id) -> bool:
    """Coordinación acts for all; an officer only for their own institution."""
    if is_coordinator(user):
        return True
    institution_id = getattr(institution_id, "pk", institution_id)
    return (
        is_officer(user)
        and institution_id is not None
        and institution_id == officer_institution_id(user)
    )


@rules.predicate


def is_officer_of(user, obj) -> bool:
    """An officer whose institution this row belongs to."""
    if obj is None or not is_officer(user):
        return False
    own_rule = getattr(obj, "is_in_scope_of", None)
    if own_rule is not None:  # models of other apps describe their own scope
        return bool(own_rule(user))
    own = officer_institution_id(user)
    return own is not None and own in institution_ids_of(obj)


@rules.predicate


def can_act_on(user, obj) -> bool:
    """May open, edit or delete this row in the admin."""
    if is_coordinator(user):
        return True
    own_rule = getattr(obj, "is_in_scope_of", None)
    if own_rule is not None:
        return bool(own_rule(user))
    return bool(is_officer_of(user, obj))


# Who may see the network's contacts (personal data): Coordinación and officers (their own
# institution's, by ``scope_queryset``). The Comité Editorial and jurors never.
can_view_contacts = is_coordinator | is_officer

# Screens over the whole network (imports, reminders, site history, workflow reports).
can_manage_network = is_coordinator

# An event's registrants (personal data) and attendance: Coordinación, and officers of an
# institution that organises it. Never the Comité Editorial, jurors or the public.
can_manage_registrations = is_coordinator | is_officer_of

# How to filter a queryset of each network model down to one institution.
_SCOPE_LOOKUPS = {
    "network.institution": "pk",
    "network.person": "institution",
    "network.videocapsule": "institution",
    "network.event": "organizers",
    "network.staffprofile": "institution",
}


# Rows that are private to their institution wherever they are offered as choices (filters,
# choosers, form fields). Institutions, events and capsules are public facts: an officer may
# pick another institution as co-organizer.
_PRIVATE_ROWS = {"network.person", "network.staffprofile"}


def is_scoped_model(model) -> bool:
    """Rows private to an institution: choices of them are limited by ``scope_queryset``."""
    return model._meta.label_lower in _PRIVATE_ROWS or hasattr(
        model._default_manager.all(), "in_scope_of")


def scope_queryset(user, qs):
    """``qs`` limited to what ``user`` may see in the admin: the same rule as ``can_act_on``."""
    if is_coordinator(user):
        return qs
    if hasattr(qs, "in_scope_of"):
        return qs.in_scope_of(user)
    label = qs.model._meta.label_lower
    if label == "network.person" and not can_view_contacts(user):
        return qs.none()
    own = officer_institution_id(user) if is_officer(user) else None
    lookup = _SCOPE_LOOKUPS.get(label)
    if own is None or lookup is None:
        return qs.none()
    if lookup == "organizers":
        return qs.filter(pk__in=qs.model._default_manager.filter(organizers=own).values("pk"))
    return qs.filter(Q(**{lookup: own}))


def linkable_events(user, events, linked=None):
    """The ``events`` that ``user`` may link to a line of action: Coordinación any; an officer
    the published ones and those their institution organises (plus ``linked``, the pks already
    linked, so that saving a line does not drop another institution's draft event)."""
    if is_coordinator(user):
        return events
    if not is_officer(user):  # the editorial committee, jurors: no lines of action to edit
        return events.none()
    own = officer_institution_id(user)
    allowed = Q(live=True) | Q(organizers=own) if own is not None else Q(live=True)
    if linked is not None:
        allowed |= Q(pk__in=linked)
    return events.filter(pk__in=events.model._default_manager.filter(allowed).values("pk"))


# --- Municipal roadmaps (hojas de ruta) -------------------------------------------------------


@rules.predicate


def is_party_of(user, agreement) -> bool:
    """Coordinación, or an officer of an institution that signed ``agreement``."""
    if agreement is None:
        return False
    if is_coordinator(user):
        return True
    own = officer_institution_id(user) if is_officer(user) else None
    return own is not None and agreement.institutions.filter(pk=own).exists()


@rules.predicate


def can_start_roadmap(user, agreement) -> bool:
    """Start the roadmap of an agreement with a municipality: a person of the parties."""
    return bool(is_party_of(user, agreement))


@rules.predicate


def can_update_milestone(user, milestone) -> bool:
    """Record progress and evidence of a milestone: a person of the agreement's parties."""
    return milestone is not None and bool(is_party_of(user, milestone.roadmap.agreement))


# The admin's roadmap screens (each roadmap then scoped by ``Roadmap.objects.in_scope_of``).
can_view_roadmaps = is_coordinator | is_officer


def officer_region_id(user) -> int | None:
    """The region of the institution an officer acts for, or None."""
    if not is_officer(user):
        return None
    cached = getattr(user, "_enlace_region", False)
    if cached is False:
        profile = getattr(user, "staff_profile", None) if hasattr(user, "staff_profile") else None
        cached = profile.institution.region_id if profile else None
        user._enlace_region = cached
    return cached


@rules.predicate


def can_edit_region_agenda(user, region_id) -> bool:
    """Joint agendas: Coordinación edits every region's; an officer those of their region."""
    if is_coordinator(user):
        return True
    region_id = getattr(region_id, "pk", region_id)
    own = officer_region_id(user)
    return own is not None and region_id == own


rules.add_perm("network.act_on_row", can_act_on)
rules.add_perm("network.view_contacts", can_view_contacts)
rules.add_perm("network.manage_network", can_manage_network)
rules.add_perm("network.start_roadmap", can_start_roadmap)
rules.add_perm("network.update_milestone", can_update_milestone)
rules.add_perm("network.manage_registrations", can_manage_registrations)
