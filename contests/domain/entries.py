"""The life of an entry: draft, files, submission with a receipt, withdrawal.

Every change an entrant makes goes through here, so the deadline, eligibility and
idempotency rules hold the same for the wizard, the upload endpoint and the benchmark."""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from contests import files as filecheck
from contests import jobs
from contests.enums import AuditAction, EntryStatus
from contests.kinds import missing_parts, rules_for
from contests.models import Entry, EntryFile, FolioCounter, log
from contests.text import local_time

from .errors import ContestError

logger = logging.getLogger(__name__)


def _local(moment: dt.datetime) -> str:
    return local_time(moment, seconds=True)


def ensure_open(call, user, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    if now < call.opens_at:
        raise ContestError(_("La convocatoria abre el %(when)s (hora del centro de México).")
                         % {"when": _local(call.opens_at)}, code="not_open")
    deadline = call.deadline_for(user)
    if now > deadline:
        raise ContestError(
            _("La convocatoria cerró el %(when)s (hora del centro de México). Ya no se aceptan "
              "envíos ni cambios.") % {"when": _local(deadline)}, code="closed")


def ensure_verified(user) -> None:
    """Entrants act only once they confirmed the e-mail of their account."""
    from contests.rules import has_verified_email

    if not has_verified_email(user):
        raise ContestError(_("Antes de participar, confirme su correo con el enlace que le enviamos."),
                           code="unverified")


def eligibility_problems(profile, category, *, on: dt.date | None = None) -> list[str]:
    """Why this entrant cannot enter this category, or an empty list."""
    if profile is None:
        return [_("Complete su perfil de participante antes de inscribir una obra.")]
    on = on or timezone.localdate()
    problems = []
    if category.education_levels and profile.education_level not in category.education_levels:
        problems.append(_("Esta categoría es para: %(levels)s.")
                        % {"levels": category.education_levels_display()})
    age = profile.age_on(on)
    if category.min_age and age < category.min_age:
        problems.append(_("La edad mínima para esta categoría es %(n)s años.") % {"n": category.min_age})
    if category.max_age and age > category.max_age:
        problems.append(_("La edad máxima para esta categoría es %(n)s años.") % {"n": category.max_age})
    if age < 18 and not profile.guardian_consent_at:
        problems.append(_("Por ser menor de edad, su madre, padre o tutor debe dar su consentimiento "
                          "en su perfil."))
    return problems


def create_draft(user, category, *, title: str = "", client_token: str = "") -> tuple[Entry, bool]:
    """Start an entry. The same ``client_token`` (one per form shown) never makes two."""
    ensure_verified(user)
    call = category.call
    ensure_open(call, user)
    problems = eligibility_problems(getattr(user, "entrant_profile", None), category)
    if problems:
        raise ContestError(" ".join(problems), code="ineligible")
    token = (client_token or "")[:64]
    if token:
        existing = Entry.objects.filter(owner=user, client_token=token).first()
        if existing:
            return existing, False
    try:
        with transaction.atomic():
            entry = Entry.objects.create(call=call, category=category, owner=user,
                                         title=title.strip(), client_token=token)
    except IntegrityError:
        # The same form posted twice at once: the other request created it.
        return Entry.objects.get(owner=user, client_token=token), False
    return entry, True


def ensure_editable(entry: Entry, now: dt.datetime | None = None) -> None:
    if entry.status == EntryStatus.WITHDRAWN:
        raise ContestError(_("Esta participación fue retirada."), code="withdrawn")
    if entry.status == EntryStatus.DISQUALIFIED:
        raise ContestError(_("Esta participación fue descalificada."), code="disqualified")
    ensure_open(entry.call, entry.owner, now)


def mark_changed(entry: Entry) -> None:
    Entry.objects.filter(pk=entry.pk).update(has_unsent_changes=True, updated_at=timezone.now())


def store_file(entry: Entry, slot_name: str, uploaded, *, started_at: dt.datetime | None = None,
               sha256: str | None = None) -> EntryFile:
    """Validate ``uploaded`` by its content and keep it in the slot, replacing what was there.

    ``started_at`` is when the request arrived: an upload that began before the deadline
    counts as on time even if the last byte lands after it."""
    ensure_editable(entry, started_at)
    rules = rules_for(entry.category)
    slot = rules.slot(slot_name)
    if slot is None:
        raise ContestError(_("Esta categoría no pide ese archivo."), code="slot")
    try:
        info = filecheck.inspect(uploaded, accept=slot.accept,
                                 max_bytes=entry.category.max_file_mb * 1024 * 1024,
                                 max_seconds=rules.max_seconds,
                                 original_name=getattr(uploaded, "name", ""))
    except ValidationError as exc:
        raise ContestError(" ".join(exc.messages), code="file") from None
    digest = sha256 or getattr(uploaded, "sha256", None) or _sha256_of(uploaded)
    uploaded.seek(0)
    display = filecheck.safe_display_name(getattr(uploaded, "name", "") or "", info.extension)
    stored_name = f"{uuid.uuid4().hex}{info.extension}"
    new = EntryFile(entry=entry, slot=slot.name, original_name=display, format=info.format,
                    size=info.size, sha256=digest, duration=info.duration, pages=info.pages,
                    width=info.width, height=info.height, uploaded_at=timezone.now())
    new.file.save(stored_name, uploaded, save=False)
    try:
        with transaction.atomic():
            # The entry row is the lock: two uploads to one slot wait for each other.
            locked = Entry.objects.select_for_update().get(pk=entry.pk)
            ensure_editable(locked, started_at)
            old = EntryFile.objects.filter(entry=entry, slot=slot.name).first()
            if old:
                discard(old)
            new.save()
            mark_changed(entry)
    except Exception:
        _delete_quietly(new.file.storage, new.file.name)
        raise
    return new


def remove_file(entry: Entry, slot_name: str) -> None:
    ensure_editable(entry)
    with transaction.atomic():
        locked = Entry.objects.select_for_update().select_related("category").get(pk=entry.pk)
        old = EntryFile.objects.filter(entry=entry, slot=slot_name).first()
        if old is None:
            return
        if locked.status == EntryStatus.SUBMITTED:
            rules = rules_for(locked.category)
            slot = rules.slot(slot_name)
            first = rules.slots and rules.slots[0].name == slot_name
            if slot and (slot.required or (rules.link == "alternative" and first and not locked.link)):
                raise ContestError(_("Su participación ya fue enviada con este archivo: puede reemplazarlo, "
                                   "pero no dejarla sin él."), code="required")
        discard(old)
        mark_changed(entry)


def discard(entry_file: EntryFile) -> None:
    """Delete the row now and its stored files (the original and the blind copy) once the
    transaction commits, so a rollback never leaves a row without its file."""
    storage = entry_file.file.storage
    names = [n for n in (entry_file.file.name, entry_file.blind_file.name) if n]
    entry_file.delete()
    transaction.on_commit(lambda: [_delete_quietly(storage, name) for name in names])


def _delete_quietly(storage, name: str) -> None:
    try:
        storage.delete(name)
    except Exception:  # pragma: no cover - a missing file is gone; object storage may hiccup
        logger.warning("Could not delete %s", name)


def _sha256_of(fileobj) -> str:
    import hashlib

    fileobj.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: fileobj.read(1024 * 1024), b""):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()


def next_folio(category) -> str:
    """The next folio under ``CODE-YEAR`` (unique site-wide; rolls back with the submission)."""
    prefix = f"{category.code}-{category.call.year}"
    FolioCounter.objects.get_or_create(prefix=prefix)
    FolioCounter.objects.filter(prefix=prefix).update(last=F("last") + 1)
    return f"{prefix}-{FolioCounter.objects.get(prefix=prefix).last:04d}"


def submit(entry: Entry, *, actor=None, now: dt.datetime | None = None) -> tuple[Entry, bool]:
    """Submit (or re-submit after changes). Returns (entry, receipt_issued).

    A double click or a retried POST finds the entry already submitted and unchanged and
    issues nothing new."""
    now = now or timezone.now()
    try:
        locked, issued = _submit_locked(entry, actor=actor, now=now)
    except ContestError as exc:
        if exc.code == "closed":
            log(entry.call, AuditAction.LATE_REFUSED, actor=actor, entry=entry,
                detail=_("Intento de envío el %(when)s") % {"when": _local(now)})
        raise
    if issued:
        after_submission(locked.pk)
    return locked, issued


@transaction.atomic
def _submit_locked(entry: Entry, *, actor, now) -> tuple[Entry, bool]:
    locked = Entry.objects.select_for_update().select_related("category", "call").get(pk=entry.pk)
    if locked.status == EntryStatus.SUBMITTED and not locked.has_unsent_changes:
        return locked, False
    ensure_editable(locked, now)
    ensure_verified(locked.owner)
    missing = missing_parts(locked)
    if missing:
        raise ContestError(_("Falta: %(parts)s.") % {"parts": "; ".join(missing)}, code="incomplete")
    profile = getattr(locked.owner, "entrant_profile", None)
    problems = eligibility_problems(profile, locked.category)
    if problems:
        raise ContestError(" ".join(problems), code="ineligible")
    locked.owner_was_minor = profile.is_minor
    first_time = not locked.folio
    if first_time:
        locked.folio = next_folio(locked.category)
    locked.status = EntryStatus.SUBMITTED
    locked.submitted_at = now
    locked.has_unsent_changes = False
    locked.save(update_fields=["folio", "status", "submitted_at", "has_unsent_changes", "owner_was_minor",
                               "updated_at"])
    log(locked.call, AuditAction.SUBMITTED, actor=actor, entry=locked,
        detail=(_("Primer envío") if first_time else _("Envío actualizado")) + f" · {locked.folio}")
    return locked, True


def withdraw(entry: Entry, *, actor=None) -> Entry:
    with transaction.atomic():
        locked = Entry.objects.select_for_update().get(pk=entry.pk)
        if locked.status == EntryStatus.WITHDRAWN:
            return locked
        ensure_editable(locked)
        locked.status = EntryStatus.WITHDRAWN
        locked.withdrawn_at = timezone.now()
        locked.save(update_fields=["status", "withdrawn_at", "updated_at"])
        clear_outcome(locked)
        log(locked.call, AuditAction.WITHDRAWN, actor=actor, entry=locked, detail=locked.folio or "")
    return locked


def after_submission(entry_pk: int) -> None:
    """Off the request: e-mail the receipt (retried if the mail server fails; the receipt page
    has it meanwhile). Blind copies wait for the jury (``jury.prepare_blind_copies``), so the
    deadline rush does not pay for them."""
    jobs.enqueue(jobs.RECEIPT, entry_id=entry_pk)


def clear_outcome(entry: Entry) -> None:
    """An entry out of the competition keeps no award and no unsent decision e-mail."""
    from contests.models import Award, DecisionEmail

    Award.objects.filter(entry=entry).delete()
    DecisionEmail.objects.filter(entry=entry, sent_at__isnull=True).delete()


def resend_receipt(entry: Entry, *, actor) -> None:
    """The entrant asks for the receipt again: at most five an hour per entry (a job sends it)."""
    from contests.mail import allow

    if not entry.folio:
        raise ContestError(_("Esta participación aún no se ha enviado: no tiene acuse."), code="draft")
    if not allow(f"receipt:{entry.pk}", limit=5, per_seconds=3600):
        raise ContestError(_("Ya le enviamos el acuse varias veces en la última hora; revise su carpeta "
                             "de correo no deseado o intente más tarde."), code="rate_limited")
    jobs.enqueue(jobs.RECEIPT, entry_id=entry.pk)


def send_receipt(entry: Entry) -> bool:
    """E-mail the receipt: folio, time and the SHA-256 of every file. Side effect: one e-mail
    to the owner (accepted co-authors in copy). Returns False when there is nothing to send."""
    from django.conf import settings
    from django.core.mail import EmailMultiAlternatives
    from django.template.loader import render_to_string

    entry = (Entry.objects.select_related("call", "category", "owner")
             .prefetch_related("files", "coauthors").filter(pk=entry.pk).first())
    if entry is None or not entry.folio or not entry.owner.email:
        return False
    context = {"entry": entry, "files": list(entry.files.all()),
               "base_url": settings.WAGTAILADMIN_BASE_URL}
    subject = _("Acuse de recibo %(folio)s · %(call)s") % {"folio": entry.folio, "call": entry.call.title}
    message = EmailMultiAlternatives(
        subject=subject, body=render_to_string("contests/email/receipt.txt", context),
        to=[entry.owner.email],
        cc=[c.email for c in entry.coauthors.all() if c.accepted_at],
    )
    message.attach_alternative(render_to_string("contests/email/receipt.html", context), "text/html")
    message.send(fail_silently=False)
    return True
