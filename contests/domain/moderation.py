"""Staff decisions on entries: disqualify, reinstate, and individual deadline extensions.

Each takes the actor, writes the audit log and raises ``ContestError`` (nothing changed)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contests.enums import AuditAction, EntryStatus
from contests.models import Entry, Extension, log
from contests.text import local_time

from .entries import clear_outcome
from .errors import ContestError


def disqualify(entry: Entry, reason: str, *, actor) -> Entry:
    """Take a submitted entry out of the competition, with the reason. Side effects: its award
    and unsent decision e-mail go; an audit event."""
    reason = (reason or "").strip()
    if not reason:
        raise ContestError(_("Indique el motivo de la descalificación."), code="reason")
    with transaction.atomic():
        locked = Entry.objects.select_for_update().get(pk=entry.pk)
        if locked.status != EntryStatus.SUBMITTED:
            raise ContestError(_("Solo se descalifican participaciones enviadas."), code="status")
        locked.status, locked.disqualified_reason = EntryStatus.DISQUALIFIED, reason
        locked.save(update_fields=["status", "disqualified_reason", "updated_at"])
        clear_outcome(locked)
        log(locked.call, AuditAction.DISQUALIFIED, actor=actor, entry=locked, detail=reason)
    return locked


def reinstate(entry: Entry, *, actor) -> Entry:
    """Bring a disqualified entry back into the competition. Side effect: an audit event."""
    with transaction.atomic():
        locked = Entry.objects.select_for_update().get(pk=entry.pk)
        if locked.status != EntryStatus.DISQUALIFIED:
            raise ContestError(_("Solo se rehabilitan participaciones descalificadas."), code="status")
        locked.status, locked.disqualified_reason = EntryStatus.SUBMITTED, ""
        locked.save(update_fields=["status", "disqualified_reason", "updated_at"])
        log(locked.call, AuditAction.REINSTATED, actor=actor, entry=locked)
    return locked


def extension_limit(call) -> dt.datetime:
    """An extension ends before the jury starts (its first day, Mexico City), or before the
    results date when the call sets no jury dates."""
    return call.jury_starts_at if call.jury_starts_on else call.results_at


def grant_extension(call, email: str, until: dt.datetime, reason: str, *, actor) -> Extension:
    """Give one entrant (by the e-mail of their account) more time. Side effect: an audit
    event with the reason."""
    user = get_user_model().objects.filter(email__iexact=(email or "").strip()).first()
    if user is None:
        raise ContestError(_("No hay una cuenta con ese correo."), code="email")
    if until <= call.deadline:
        raise ContestError(_("La prórroga debe terminar después del cierre general."), code="until")
    limit = extension_limit(call)
    if until >= limit:
        raise ContestError(_("La prórroga debe terminar antes de que empiece la evaluación "
                             "(%(when)s).") % {"when": local_time(limit)}, code="until")
    if until <= timezone.now():
        raise ContestError(_("La prórroga debe terminar en el futuro."), code="until")
    with transaction.atomic():
        extension = Extension.objects.create(call=call, entrant=user, until=until, reason=reason,
                                             granted_by=actor)
        log(call, AuditAction.EXTENSION, actor=actor,
            detail=_("%(email)s hasta %(until)s: %(reason)s") % {
                "email": user.email, "until": local_time(until), "reason": reason})
    return extension
