"""Who may see and do what in the contests: named predicates (django-rules), used alike by
views, querysets, templates (``{% load rules %}`` / ``{% has_perm %}``) and domain code.

Permission names (``user.has_perm(name, obj)``):

=====================================  =================================================
``contests.manage``                    entries, jury, results, exports, audit log (staff)
``contests.see_entrant_data``          names, e-mails, schools and original files
``contests.see_stats``                 the calls' dashboards (aggregate figures)
``contests.act_as_entrant``            create, change and submit entries (verified e-mail)
``contests.change_entry`` (entry)      the entrant who owns the entry
``contests.see_entry`` (entry)         its owner and accepted co-authors
``contests.see_entry_files`` (entry)   its authors, and staff who may see entrant data
``contests.review_entry`` (entry)      a juror assigned to the entry
``contests.deliberate`` (call)         the jury's president of the call, and staff
=====================================  =================================================

Staff predicates also require the second sign-in factor when the person has enrolled a
device: a session that stopped at the password sees no entrant data."""

from __future__ import annotations

import rules

from network.rules import is_coordinator as _network_is_coordinator


@rules.predicate
def is_authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


@rules.predicate
def passed_second_factor(user) -> bool:
    """True unless the person enrolled a second factor and this session has not given it.
    ``is_verified`` exists on users of a request (django-otp's middleware); a user loaded
    by code (a job, the shell) acts on behalf of the system and passes."""
    is_verified = getattr(user, "is_verified", None)
    if is_verified is None or is_verified():
        return True
    from django_otp import user_has_device

    return not user_has_device(user, confirmed=True)


@rules.predicate
def is_coordinator(user) -> bool:
    """Coordinación (or a superuser), as the network defines it."""
    return _network_is_coordinator(user)


def _model_perm(codename: str):
    @rules.predicate(name=f"has_{codename}")
    def check(user) -> bool:
        # ModelBackend's group and user permissions (the rules backend knows no such name).
        return user.has_perm(f"contests.{codename}")

    return check


has_manage_permission = _model_perm("manage_contests")
has_entrant_data_permission = _model_perm("view_entrant_data")
has_stats_permission = _model_perm("view_contest_stats")

can_manage = is_authenticated & passed_second_factor & (is_coordinator | has_manage_permission)
can_see_entrant_data = (is_authenticated & passed_second_factor
                        & (is_coordinator | has_entrant_data_permission))
can_see_stats = can_manage | (is_authenticated & passed_second_factor & has_stats_permission)


@rules.predicate
def has_verified_email(user) -> bool:
    """The person confirmed the address of their account (allauth's confirmation link)."""
    if not getattr(user, "is_authenticated", False) or not user.email:
        return False
    cached = getattr(user, "_contests_verified_email", None)
    if cached is None:
        from allauth.account.models import EmailAddress

        cached = EmailAddress.objects.filter(user=user, email__iexact=user.email,
                                             verified=True).exists()
        user._contests_verified_email = cached
    return cached


@rules.predicate
def owns_entry(user, entry) -> bool:
    return bool(entry is not None and getattr(user, "pk", None) and entry.owner_id == user.pk)


@rules.predicate
def coauthors_entry(user, entry) -> bool:
    """An accepted co-author of the entry."""
    return bool(entry is not None and getattr(user, "pk", None)
                and entry.coauthors.filter(user=user, accepted_at__isnull=False).exists())


@rules.predicate
def is_juror_of(user, entry) -> bool:
    """A juror assigned to this entry."""
    return bool(entry is not None and getattr(user, "is_authenticated", False)
                and entry.assignments.filter(juror=user).exists())


@rules.predicate
def is_jury_president(user, call) -> bool:
    return bool(call is not None and getattr(user, "is_authenticated", False)
                and call.jury_president_id == user.pk)


is_author_of = owns_entry | coauthors_entry
can_act_as_entrant = is_authenticated & has_verified_email

# The contests' pages (series and calls: bases, dates, rubric, prizes) are Coordinación's and
# of whoever manages contests; officers' page rights at the site's root do not reach them.
may_edit_contest_pages = can_manage

rules.add_perm("contests.manage", can_manage)
rules.add_perm("contests.see_entrant_data", can_see_entrant_data)
rules.add_perm("contests.see_stats", can_see_stats)
rules.add_perm("contests.act_as_entrant", can_act_as_entrant)
rules.add_perm("contests.change_entry", can_act_as_entrant & owns_entry)
rules.add_perm("contests.see_entry", is_authenticated & is_author_of)
rules.add_perm("contests.see_entry_files", is_author_of | can_see_entrant_data)
rules.add_perm("contests.review_entry", is_juror_of)
rules.add_perm("contests.deliberate", is_jury_president | can_manage)
