"""Registration to events, waiting list, attendance and the satisfaction survey.

Every function takes ids, values and the acting user (never a request), so views, Celery
tasks and the shell run the same code. Personal data stays here and in the admin; nothing
in this module publishes it.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hub.safety import strip_control_characters
from network import rules
from network.enums import RegistrationStatus
from network.models import Event, Registration, SurveyResponse

log = logging.getLogger(__name__)

REGISTRATION_SALT = "enlace.participation.registration"
SURVEY_SALT = "enlace.participation.survey"
# Surveys go to attendees of events that ended within this many days (older ones: too late).
SURVEY_WINDOW_DAYS = 30
SURVEY_MAX_AGE = 60 * 60 * 24 * 90  # a survey link works for 90 days


class ParticipationError(Exception):
    """A request we refuse; ``str()`` is the Spanish message for the person."""


class AlreadyRegistered(ParticipationError):
    """The e-mail already holds a live registration to the event (``registration_id``).

    Never shown as such to whoever typed the address (it would tell a stranger who is
    registered): the view answers as for a new registration and ``remind()`` mails the owner.
    """

    def __init__(self, registration_id: int):
        super().__init__(_("Ese correo ya está registrado en este evento."))
        self.registration_id = registration_id


# --- Signed links (no login) ------------------------------------------------------------------

def registration_token(registration: Registration) -> str:
    return signing.dumps({"r": registration.pk, "e": registration.event_id},
                         salt=REGISTRATION_SALT)


def survey_token(registration: Registration) -> str:
    return signing.dumps({"r": registration.pk, "e": registration.event_id}, salt=SURVEY_SALT)


def _from_token(token: str, *, salt: str, max_age: int | None = None) -> Registration | None:
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict):
        return None
    return (Registration.objects.select_related("event")
            .filter(pk=data.get("r"), event_id=data.get("e")).first())


def registration_from_token(token: str) -> Registration | None:
    """The registration a cancellation link names, or None for a forged or foreign one."""
    return _from_token(token, salt=REGISTRATION_SALT)


def registration_for_survey(token: str) -> Registration | None:
    """The attendee a survey link names (None: forged, expired or not an attendee)."""
    registration = _from_token(token, salt=SURVEY_SALT, max_age=SURVEY_MAX_AGE)
    return registration if registration is not None and registration.attended else None


def _absolute(name: str, token: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(name, args=[token])


# --- Mail ---------------------------------------------------------------------------------------

def _language(registration: Registration) -> str:
    """The language of a registrant's e-mails: the one they registered in."""
    return registration.language or settings.LANGUAGE_CODE


def _mail(registration: Registration, template: str, subject: str, **context) -> None:
    if not registration.email:
        return
    with translation.override(_language(registration)):
        body = render_to_string(f"network/email/{template}.txt", {
            "registration": registration, "event": registration.event,
            "manage_url": _absolute("network:my_registration", registration_token(registration)),
            "event_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
            + registration.event.get_absolute_url(),
            **context,
        })
    send_mail(subject, body, None, [registration.email])


def _mail_after_commit(registration_id: int, kind: str) -> None:
    def send():
        registration = Registration.objects.select_related("event").filter(
            pk=registration_id).first()
        if registration is None:
            return
        with translation.override(_language(registration)):
            title = registration.event.title
            subjects = {
                "confirmed": _("Registro confirmado: %(title)s"),
                "waitlisted": _("Está en lista de espera: %(title)s"),
                "promoted": _("Se liberó un lugar para usted: %(title)s"),
                "reminder": _("Su registro: %(title)s"),
            }
            subject = subjects[kind] % {"title": title}
        try:
            _mail(registration, f"registration_{kind}", subject)
        except Exception:  # the registration stands; the person can still use the page
            log.exception("Registration mail %s for %s could not be sent", kind, registration_id)

    transaction.on_commit(send)


# --- Registration -----------------------------------------------------------------------------

def person_name(text: str) -> str:
    """A name as stored: control and direction characters removed, spaces collapsed (a name
    made only of them is empty, and refused)."""
    return " ".join(strip_control_characters(text or "", multiline=False).split())


def places_left(event: Event) -> int | None:
    """Free places (None: no limit)."""
    if event.capacity is None:
        return None
    return max(0, event.capacity - event.registrations.confirmed().count())


def register(event_id: int, *, name: str, email: str, organization: str = "",
             consent: bool, now: dt.datetime | None = None, language: str = "") -> Registration:
    """Register a person to an event: a place if there is one, else the waiting list.

    Side effects: one ``Registration`` row; after commit, a confirmation (or waiting-list)
    e-mail with the cancellation link, in ``language`` (one of ``settings.LANGUAGES``; any
    other value: the default) as every later e-mail of this registration. Raises
    ``ParticipationError`` (nothing written) when registration is closed, consent is missing
    or the e-mail is already registered.
    """
    now = now or timezone.now()
    email = (email or "").strip().lower()
    name = person_name(name)
    if not consent:
        raise ParticipationError(_("Para registrarse debe aceptar el aviso de privacidad."))
    if not email or not name:
        raise ParticipationError(_("Escriba su nombre y su correo electrónico."))
    try:
        with transaction.atomic():
            # The event row is the lock: places are counted and taken one request at a time.
            event = Event.objects.select_for_update().filter(pk=event_id, live=True).first()
            if event is None or not event.accepts_registrations(now):
                raise ParticipationError(_("El registro a este evento está cerrado."))
            existing = event.registrations.active().filter(email=email).first()
            if existing is not None:
                raise AlreadyRegistered(existing.pk)
            _promote(event, now)  # places freed by a larger cupo go to those waiting first
            left = places_left(event)
            status = (RegistrationStatus.CONFIRMED if left is None or left > 0
                      else RegistrationStatus.WAITLISTED)
            registration = Registration.objects.create(
                event=event, name=name, email=email,
                organization=(organization or "").strip(), status=status, consent_at=now,
                language=language if language in dict(settings.LANGUAGES) else "",
            )
            _mail_after_commit(registration.pk, "confirmed" if status ==
                               RegistrationStatus.CONFIRMED else "waitlisted")
    except IntegrityError:  # the same e-mail, a request that won the race
        winner = Registration.objects.filter(event_id=event_id, email=email).order_by(
            "-pk").first()
        raise AlreadyRegistered(winner.pk if winner else 0) from None
    return registration


def remind(registration_id: int) -> None:
    """Mail the owner of a registration its link again (someone registered the address twice)."""
    _mail_after_commit(registration_id, "reminder")


def waiting_position(registration: Registration) -> int | None:
    """1 for the next person to get a place; None when not waiting."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = registration.event.registrations.waiting().filter(
        created_at__lte=registration.created_at).exclude(
        created_at=registration.created_at, pk__gt=registration.pk)
    return ahead.count()


def _promote(event: Event, now: dt.datetime) -> list[int]:
    """Fill free places from the waiting list, in order. Inside the event's lock."""
    promoted = []
    left = places_left(event)
    for waiting in event.registrations.waiting():
        if left is not None and left <= 0:
            break
        waiting.status = RegistrationStatus.CONFIRMED
        waiting.promoted_at = now
        waiting.save(update_fields=["status", "promoted_at"])
        promoted.append(waiting.pk)
        _mail_after_commit(waiting.pk, "promoted")
        if left is not None:
            left -= 1
    return promoted


def fill_free_places(event_id: int, *, now: dt.datetime | None = None) -> list[int]:
    """Give the event's free places to the waiting list, in order (a larger or removed cupo).
    Returns the ids promoted.

    Side effects: the first people waiting become *confirmado*, each e-mailed once (after
    commit). Nothing happens once the event has begun (as for a cancellation) or when nobody
    is waiting; running it again promotes nobody twice.
    """
    now = now or timezone.now()
    if not Registration.objects.filter(event_id=event_id,
                                       status=RegistrationStatus.WAITLISTED).exists():
        return []
    with transaction.atomic():
        event = Event.objects.select_for_update().filter(pk=event_id).first()
        if event is None or event.starts_at <= now:
            return []
        return _promote(event, now)


def cancel(registration_id: int, *, now: dt.datetime | None = None) -> bool:
    """Cancel a registration (from its signed link). Idempotent: False if it was not active
    or the event has already begun.

    Side effects: the row becomes *cancelado*; if it held a place, the first people of the
    waiting list get the free places, each with an e-mail (after commit).
    """
    now = now or timezone.now()
    with transaction.atomic():
        registration = Registration.objects.filter(pk=registration_id).first()
        if registration is None:
            return False
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        if event.starts_at <= now:
            return False  # once it has begun, a place is no longer freed and history stays put
        changed = Registration.objects.filter(
            pk=registration_id, status__in=RegistrationStatus.active()
        ).update(status=RegistrationStatus.CANCELLED, cancelled_at=now, updated_at=now)
        if not changed:
            return False
        if not event.is_past(now):
            _promote(event, now)
    return True


# --- Attendance (admin, on the day) -------------------------------------------------------------

def _require_manager(actor, event: Event) -> None:
    if not rules.can_manage_registrations(actor, event):
        raise PermissionDenied


def attendance_list(actor, event: Event):
    """Registrants who hold a place, and walk-ins, for the attendance screen."""
    _require_manager(actor, event)
    return event.registrations.filter(status=RegistrationStatus.CONFIRMED).order_by(
        "walk_in", "name", "pk")


def record_attendance(actor, event: Event, attended_ids: set[int],
                      shown_ids: set[int] | None = None) -> int:
    """Mark ``attended_ids`` (of this event's places) as present and the other places in
    ``shown_ids`` (the rows the attendance screen listed) as absent. Returns how many are
    marked present.

    Places the screen did not show (a walk-in or a registration added, or a mark made, on
    another screen since this one was opened) keep what they had: two people taking
    attendance at once never undo each other. ``shown_ids=None`` means every place.

    Side effects: ``Registration.attended`` on this event's confirmed rows only; ids of other
    events are ignored.
    """
    _require_manager(actor, event)
    with transaction.atomic():
        places = event.registrations.filter(status=RegistrationStatus.CONFIRMED)
        if shown_ids is not None:
            attended_ids = set(attended_ids) & set(shown_ids)
            places = places.filter(pk__in=shown_ids)
        stamp = timezone.now()
        present = places.filter(pk__in=attended_ids).update(attended=True, updated_at=stamp)
        places.exclude(pk__in=attended_ids).filter(attended=True).update(attended=False,
                                                                         updated_at=stamp)
    return present


class WalkInAlreadyAdded(ParticipationError):
    """The same walk-in form arrived twice (a double click): the person was added once."""


#: How long a walk-in form's submission key is remembered (a day of the event is enough).
WALK_IN_KEY_SECONDS = 24 * 3600


def add_walk_in(actor, event: Event, *, name: str, email: str = "", organization: str = "",
                consent: bool = False, now: dt.datetime | None = None,
                submission: str = "") -> Registration:
    """Record a person who came without registering, as present. An e-mail (for the
    survey) is kept only with their consent to the privacy notice. Someone of the waiting
    list who came (their e-mail) is given their place and marked present instead.

    ``submission`` is the key the form was given when shown: the same form sent twice (a
    double click, a resend) adds the person once and raises ``WalkInAlreadyAdded`` the second
    time. Without an e-mail nothing else tells the two requests apart, and two people may
    share a name. Side effects: the key is claimed in the shared cache before the row is
    written and released if nothing was written.
    """
    from django.core.cache import cache

    _require_manager(actor, event)
    now = now or timezone.now()
    name = person_name(name)
    email = (email or "").strip().lower()
    if not name:
        raise ParticipationError(_("Escriba el nombre de la persona."))
    seated = _seat_from_waiting_list(event, email, now) if email else None
    if seated is not None:
        return seated
    if email and not consent:
        raise ParticipationError(_("Para guardar el correo, la persona debe aceptar el aviso "
                                   "de privacidad."))
    key = f"enlace:walk-in:{event.pk}:{submission}" if submission else None
    if key is not None and not cache.add(key, True, WALK_IN_KEY_SECONDS):
        raise WalkInAlreadyAdded(_("Esa persona ya se había agregado: el formulario se envió "
                                   "dos veces."))
    try:
        return _create_walk_in(event, name=name, email=email, organization=organization,
                               now=now)
    except BaseException:
        if key is not None:
            cache.delete(key)
        raise


def _seat_from_waiting_list(event: Event, email: str, now: dt.datetime) -> Registration | None:
    """The person of ``email`` on the event's waiting list, who came: given a place and marked
    present (they consented when registering). None when nobody with that e-mail is waiting.
    Side effects: that registration becomes *confirmado* and *asistió*."""
    with transaction.atomic():
        waiting = (Registration.objects.select_for_update()
                   .filter(event=event, email=email, status=RegistrationStatus.WAITLISTED)
                   .first())
        if waiting is None:
            return None
        waiting.status, waiting.attended, waiting.promoted_at = (
            RegistrationStatus.CONFIRMED, True, now)
        waiting.save(update_fields=["status", "attended", "promoted_at", "updated_at"])
    return waiting


def _create_walk_in(event: Event, *, name: str, email: str, organization: str,
                    now: dt.datetime) -> Registration:
    try:
        with transaction.atomic():
            if email and event.registrations.active().filter(email=email).exists():
                raise ParticipationError(_("Ese correo ya está registrado: marque su asistencia "
                                           "en la lista."))
            return Registration.objects.create(
                event=event, name=name, email=email, organization=(organization or "").strip(),
                status=RegistrationStatus.CONFIRMED, walk_in=True, attended=True,
                consent_at=now if email else None,
            )
    except IntegrityError:
        raise ParticipationError(_("Ese correo ya está registrado: marque su asistencia en la "
                                   "lista.")) from None


# --- Satisfaction survey ------------------------------------------------------------------------

def surveys_due(now: dt.datetime | None = None):
    """Attendees with an e-mail of events that ended recently, not yet claimed."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=SURVEY_WINDOW_DAYS)
    ended = Event.objects.past(now).filter(
        Q(ends_at__gte=since) | Q(ends_at__isnull=True, starts_at__gte=since))
    return (Registration.objects.attended()
            .filter(event__in=ended.values("pk"), survey_claimed_at__isnull=True)
            .exclude(email="").order_by("pk"))


def send_survey(registration_id: int, *, now: dt.datetime | None = None) -> bool:
    """Send one attendee their survey link, at most once ever. Returns whether it was sent.

    Side effects: claims the row (``survey_claimed_at``) before sending, so two workers
    never both send it; ``survey_sent_at`` after the mail left.
    """
    now = now or timezone.now()
    claimed = Registration.objects.filter(
        pk=registration_id, attended=True, survey_claimed_at__isnull=True).exclude(
        email="").update(survey_claimed_at=now)
    if not claimed:
        return False
    registration = Registration.objects.select_related("event").get(pk=registration_id)
    with translation.override(_language(registration)):
        subject = _("¿Cómo le pareció? Encuesta de %(title)s") % {
            "title": registration.event.title}
    _mail(registration, "survey", subject,
          survey_url=_absolute("network:survey", survey_token(registration)))
    Registration.objects.filter(pk=registration_id).update(survey_sent_at=timezone.now())
    return True


def send_surveys(now: dt.datetime | None = None) -> int:
    """The periodic job: every due survey, each claimed on its own. Returns mails sent."""
    sent = 0
    for registration_id in list(surveys_due(now).values_list("pk", flat=True)[:1000]):
        try:
            sent += send_survey(registration_id, now=now)
        except Exception:  # one bad address must not stop the others; it stays claimed
            log.exception("Survey mail for registration %s failed", registration_id)
    return sent


def answer_survey(registration_id: int, *, rating: int, comments: str = "") -> SurveyResponse:
    """Record an attendee's answer. Once: a second answer raises ``ParticipationError``."""
    if rating not in range(1, 6):
        raise ParticipationError(_("Elija una calificación del 1 al 5."))
    try:
        with transaction.atomic():
            return SurveyResponse.objects.create(registration_id=registration_id,
                                                 rating=rating, comments=comments.strip())
    except IntegrityError:
        raise ParticipationError(_("Esta encuesta ya fue respondida. ¡Gracias!")) from None
