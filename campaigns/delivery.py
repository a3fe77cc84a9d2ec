"""The delivery engine: each post reaches each channel once, or a person is told why not.

States: ``pending`` → ``sending`` → ``sent`` | ``failed`` | ``uncertain`` (and back to
``pending`` for a retry). The rules that keep it exactly-once:

* A worker claims a delivery with one conditional ``UPDATE … WHERE id=… AND state='pending'``
  on the delivery's own columns that sets a fresh ``claim_token``. Only one UPDATE can match,
  on PostgreSQL (which re-checks the row after a concurrent writer commits) and on SQLite (which
  serialises writers), so ``select_for_update`` is not needed.
* Immediately before the publishing request leaves, the worker records
  ``request_started_at`` under its token (a fenced UPDATE); if the claim was taken away in the
  meantime it does not send.
* The sweeper returns to ``pending`` only claims that never reached that point; a claim that
  did, and whose worker vanished, becomes ``uncertain`` and waits for a person.
* Queue messages carry only the delivery id. The database is the source of truth: the
  dispatcher re-enqueues due deliveries whose message may have been lost, and duplicate
  messages find nothing to claim.
"""

from __future__ import annotations

import logging
import random
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import amplify, jobs, rendering
from .channels import flag_channel
from .connectors import (
    Aborted,
    ConnectorError,
    CredentialsError,
    DuplicateError,
    MaybeSentError,
    PermanentError,
    RetryableError,
    WriteRefusedError,
    get_connector,
)
from .enums import AttemptOutcome, ChannelHealth, DeliveryPurpose, DeliveryState
from .models import Channel, Delivery, DeliveryAttempt, Post
from .text import THREAD_JOIN, split_parts

log = logging.getLogger(__name__)

# --- Scheduling --------------------------------------------------------------------------------

def schedule(post: Post) -> list[int]:
    """Create (or reschedule) one delivery per target channel of a published post.

    Publishing again never duplicates: a channel that already has a delivery keeps it, and only
    a delivery that has not been attempted yet follows a new send time. Channels removed from
    the post lose their untouched deliveries. Returns the ids of the deliveries created or moved.
    A first publication costs the same few queries whatever the number of channels.
    """
    now = timezone.now()
    due = _due(post, now)
    channel_ids = set(post.channels.values_list("pk", flat=True))
    touched, new = [], []
    with transaction.atomic():
        publications = Delivery.objects.filter(post=post, purpose=DeliveryPurpose.PUBLICATION)
        existing = {d.channel_id: d for d in publications}
        for channel_id in sorted(channel_ids):
            delivery = existing.get(channel_id)
            if delivery is None:
                new.append(Delivery(post=post, channel_id=channel_id, due_at=due, next_attempt_at=due))
            elif delivery.state == DeliveryState.PENDING and delivery.attempts == 0:
                Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.PENDING, attempts=0).update(
                    due_at=due, next_attempt_at=due, enqueued_at=None)
                touched.append(delivery.pk)
        if new:  # one INSERT for all channels (the primary keys come back on both databases)
            touched += [d.pk for d in Delivery.objects.bulk_create(new)]
        if any(channel_id not in channel_ids for channel_id in existing):  # channels removed
            publications.filter(state=DeliveryState.PENDING, attempts=0).exclude(
                channel_id__in=channel_ids).update(state=DeliveryState.CANCELLED, finished_at=now)
        jobs.on_commit(enqueue, touched)
    return touched


def _due(post: Post, now):
    """The post's send time, or now for a post without one (or one a moment in the past,
    which validation allowed): never another time."""
    return post.publish_at if post.publish_at and post.publish_at > now else now


def schedule_new(post: Post, channels) -> list[Delivery]:
    """:func:`schedule` for a post inserted a moment ago in the current transaction, which
    cannot have deliveries yet: one INSERT for all channels, no reads. The caller enqueues the
    returned deliveries after the commit."""
    due = _due(post, timezone.now())
    deliveries = [Delivery(post=post, channel=channel, due_at=due, next_attempt_at=due)
                  for channel in sorted(channels, key=lambda c: c.pk)]
    return Delivery.objects.bulk_create(deliveries)


def cancel_pending(post: Post) -> int:
    """Unpublishing a post stops what has not left yet."""
    return Delivery.objects.filter(post=post, state=DeliveryState.PENDING).update(
        state=DeliveryState.CANCELLED, finished_at=timezone.now(),
        error=_("Cancelada: la publicación se retiró antes del envío."))


def enqueue(delivery_ids, horizon: float | None = None) -> int:
    """Send queue messages for deliveries due within the horizon (ETA = their due time).

    Never raises for a broker that is down: what could not be enqueued is left for the
    dispatcher (``enqueued_at`` is cleared again), and the caller's work stands.
    """
    horizon = settings.ENLACE_DISPATCH_HORIZON if horizon is None else horizon
    now = timezone.now()
    rows = Delivery.objects.filter(pk__in=list(delivery_ids), state=DeliveryState.PENDING,
                                   next_attempt_at__lte=now + timedelta(seconds=horizon))
    due = list(rows.values_list("pk", "next_attempt_at"))
    if due:  # one UPDATE for the batch, then the messages
        Delivery.objects.filter(pk__in=[pk for pk, _ in due]).update(enqueued_at=now)
    for index, (pk, when) in enumerate(due):
        if not jobs.send("campaigns.deliver", eta=max(when, now), delivery_id=pk):
            # The broker is down: stop trying; the dispatcher picks these up again.
            Delivery.objects.filter(pk__in=[p for p, _ in due[index:]], enqueued_at=now).update(
                enqueued_at=None)
            return index
    return len(due)


def dispatch(now=None) -> int:
    """Enqueue due deliveries that have no message in the queue (or whose message was lost).

    A message is taken as lost when its delivery is still pending ``ENLACE_LOST_AFTER`` seconds
    after it was due and after the message was sent (a broker that restarted empty, a worker
    killed holding it); any other message, ``ENLACE_REENQUEUE_AFTER`` seconds after it was
    sent. Workers that are behind, or all down, look the same from here, so each further copy
    waits at least as long as the delivery was already late when the previous one was sent
    (15 s, 30 s, 1 min, 2, 4…): an hour without workers gets each waiting delivery about eight
    copies, not one more every ``ENLACE_REENQUEUE_AFTER``, which piled up in the broker faster
    than the workers, once back, could discard them. Deliveries never enqueued go first. A
    duplicate message finds nothing to claim.
    """
    now = now or timezone.now()
    lost_after = timedelta(seconds=settings.ENLACE_LOST_AFTER)
    reenqueue_after = timedelta(seconds=settings.ENLACE_REENQUEUE_AFTER)
    stale = now - reenqueue_after
    overdue = now - lost_after
    rows = list(Delivery.objects.filter(
        state=DeliveryState.PENDING,
        next_attempt_at__lte=now + timedelta(seconds=settings.ENLACE_DISPATCH_HORIZON),
    ).exclude(channel__health=ChannelHealth.FAILING).filter(
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stale)
        | Q(next_attempt_at__lt=overdue, enqueued_at__lt=overdue))
        .order_by(F("enqueued_at").asc(nulls_first=True))
        .values_list("pk", "enqueued_at", "next_attempt_at")[:5000])
    chosen, again = [], 0
    for pk, enqueued_at, next_attempt_at in rows:
        if enqueued_at is None:
            chosen.append(pk)
            continue
        wait = lost_after if next_attempt_at < overdue else reenqueue_after
        if now - enqueued_at >= max(wait, enqueued_at - next_attempt_at):
            chosen.append(pk)
            again += 1
    if again:
        log.warning("Enqueued again %s due deliveries whose message may have been lost", again)
    return enqueue(chosen)


def sweep(now=None) -> dict:
    """Recover claims whose worker died (resend if nothing left, else mark uncertain), and
    the work of jobs a broker restart lost (checks, deliveries, new posts, amplification)."""
    now = now or timezone.now()
    expired = Delivery.objects.filter(
        state=DeliveryState.SENDING,
        claimed_at__lt=now - timedelta(seconds=settings.ENLACE_DELIVERY_LEASE))
    returned = expired.filter(request_started_at__isnull=True).update(
        state=DeliveryState.PENDING, claim_token=None, next_attempt_at=timezone.now(),
        enqueued_at=None)
    doubtful = list(expired.filter(request_started_at__isnull=False).values_list(
        "pk", "channel__kind"))
    for pk, kind in doubtful:
        changed = Delivery.objects.filter(pk=pk, state=DeliveryState.SENDING).update(
            state=DeliveryState.UNCERTAIN, finished_at=now, resolved_by=None,
            error=_("El proceso que enviaba se interrumpió después de enviar la solicitud a la red: "
                    "no se sabe si se publicó.") + " " + uncertain_advice(kind))
        if changed:
            _became_uncertain(pk, kind, "lease expired after the request left")
    # Uncertain deliveries on networks that can be looked at, whose check job was lost. Only
    # checks made since the delivery last became uncertain count: a thread whose part 1 was
    # found (and went on) or a post resent after "not found" is in doubt again, about
    # something no check has looked at yet.
    checked = DeliveryAttempt.objects.filter(
        delivery=OuterRef("pk"), at__gte=OuterRef("finished_at"),
        outcome__in=[AttemptOutcome.FOUND, AttemptOutcome.NOT_FOUND])
    unchecked = Delivery.objects.filter(
        state=DeliveryState.UNCERTAIN, channel__kind__in=lookup_kinds(),
        finished_at__lt=now - timedelta(seconds=60), finished_at__gte=now - timedelta(hours=6),
    ).exclude(Exists(checked)).annotate(
        failed_checks=Count("log", filter=Q(log__outcome=AttemptOutcome.CHECK_FAILED,
                                            log__at__gte=F("finished_at"))),
    ).filter(failed_checks__lt=3).order_by("pk").values_list("pk", "finished_at")
    # Keyed by when it became uncertain: a delivery in doubt again is a new question.
    in_doubt = [f"{pk}:{when.timestamp()}" for pk, when in unchecked[:5000]]
    for key in jobs.due_again("campaigns.verify_uncertain", in_doubt, now):
        jobs.send("campaigns.verify_uncertain", delivery_id=int(key.partition(":")[0]))
    dispatched = dispatch(now)
    from .posts import prepare_lost

    prepared = prepare_lost(now)  # posts whose post_created job was lost
    amplifications = 0
    overdue = amplify.overdue_posts(now).order_by("pk")[:5000]  # their job was lost (or waits)
    for post_id in jobs.due_again("campaigns.request_amplification", overdue, now):
        amplifications += jobs.send("campaigns.request_amplification", post_id=post_id)
    return {"returned": returned, "uncertain": len(doubtful), "dispatched": dispatched,
            "prepared": prepared, "amplifications": amplifications}


# --- Performing --------------------------------------------------------------------------------

def _log(delivery_id: int, outcome: AttemptOutcome, detail: str = "") -> None:
    DeliveryAttempt.objects.create(delivery_id=delivery_id, outcome=outcome, detail=detail[:4000])


def claim(delivery_id: int) -> uuid.UUID | None:
    """Take a due delivery for this worker, or None if it is not due, paused or taken."""
    return _claim(delivery_id)[0]


def _claim(delivery_id: int):
    """(token, None) when claimed; (None, (channel_id, paused_until)) when seen paused.

    The UPDATE filters on the delivery row's own columns only, so every database re-checks
    ``state`` on the row it is about to write. A filter through the channel would make Django
    write ``WHERE id IN (SELECT … JOIN …)``, and under READ COMMITTED PostgreSQL re-checks only
    the outer row after waiting for a concurrent claim, not the subquery's stale ``state``: two
    workers could both claim. The channel's pause is advisory and read once, separately; the
    caller acts on the pause it saw, never on a second reading (the pause may end in between).
    """
    now = timezone.now()
    channel = Channel.objects.filter(deliveries__pk=delivery_id).values_list(
        "pk", "paused_until", "health", "health_error").first()
    if channel is not None and channel[2] == ChannelHealth.FAILING:
        _hold(delivery_id, channel[3])
        return None, None
    if channel is not None and channel[1] is not None and channel[1] > now:
        return None, channel[:2]
    token = uuid.uuid4()
    updated = Delivery.objects.filter(
        pk=delivery_id, state=DeliveryState.PENDING, next_attempt_at__lte=now + timedelta(seconds=1),
    ).update(state=DeliveryState.SENDING, claim_token=token, claimed_at=now, request_started_at=None,
             attempts=F("attempts") + 1)
    return (token if updated else None), None


def _hold(delivery_id: int, reason: str) -> None:
    """A due delivery on a channel whose credentials (or chat) the network refused: it waits,
    saying why, instead of meeting the same refusal (one «Fallida» and one e-mail per post).
    Its message is dropped; the dispatcher enqueues it again once the channel works (a check
    that passes, new credentials or a post that went out: ``health`` back to OK)."""
    Delivery.objects.filter(pk=delivery_id, state=DeliveryState.PENDING).update(
        enqueued_at=None,
        error=_("En pausa: la red rechazó el canal (%(reason)s). Saldrá en cuanto el canal vuelva a "
                "funcionar (al guardar credenciales nuevas o al pasar «Probar conexión»); si ya no "
                "debe salir, descártela.") % {"reason": reason.rstrip(".")})


def perform(delivery_id: int) -> str:
    """Claim and send one delivery. Returns the outcome (for logs and tests)."""
    token, paused = _claim(delivery_id)
    if token is None:
        if paused is not None:
            _reschedule_after_pause(delivery_id, *paused)
        return "skipped"
    delivery = Delivery.objects.select_related("post", "channel").filter(pk=delivery_id).first()
    if delivery is None:  # deleted with its post in the meantime
        return "skipped"
    channel, post = delivery.channel, delivery.post
    mine = Delivery.objects.filter(pk=delivery_id, claim_token=token)
    connector = get_connector(channel.kind)
    if connector is None or not channel.active:
        return _fail(mine, delivery_id, _("El canal no está activo o su red aún no se puede usar."), "")
    if delivery.purpose == DeliveryPurpose.AMPLIFICATION:
        parts, kind = [amplify.group_text(post)], None  # the request to the network, no images
    else:
        parts, kind = rendering.sent_parts(post, channel), channel.kind
    done = list(delivery.part_ids or [])
    if done and delivery.sent_text:
        parts = split_parts(delivery.sent_text)  # a thread under way continues as it began
    text = THREAD_JOIN.join(parts)
    first_url = delivery.external_url if done else ""
    if done and len(done) >= len(parts):  # every part is out; only the record was missing
        if mine.filter(state=DeliveryState.SENDING).update(
                state=DeliveryState.SENT, finished_at=timezone.now(), error=""):
            _after_final(delivery_id)
        return "sent"

    if connector.can_look_up and delivery.attempts > 1 and DeliveryAttempt.objects.filter(
            delivery_id=delivery_id,
            outcome__in=[AttemptOutcome.UNCERTAIN, AttemptOutcome.RETRY_CHECK]).exists():
        # Sent again after it was uncertain, or after an error the network may answer once it
        # has posted (X's 5xx): look at the account first, never post it twice.
        in_doubt = parts[len(done)] if len(parts) > 1 else (delivery.sent_text or text)
        try:
            found = _look_up(delivery, in_doubt)
        except ConnectorError as exc:
            return _retry(delivery, mine, exc if isinstance(exc, RetryableError)
                          else RetryableError(exc.message, exc.detail))
        if found:
            done.append(found.external_id)
            first_url = first_url or found.external_url
            _log(delivery_id, AttemptOutcome.FOUND, found.external_id)
            if len(done) >= len(parts):
                if mine.filter(state=DeliveryState.SENDING).update(
                        state=DeliveryState.SENT, finished_at=timezone.now(), error="",
                        external_id=done[0], external_url=first_url, part_ids=done):
                    _after_final(delivery_id)
                return "found"
            _record_part(mine, done, first_url)  # the part in doubt is out: the rest follows

    def before_send() -> bool:
        return bool(mine.filter(state=DeliveryState.SENDING).update(
            request_started_at=timezone.now(), sent_text=text))

    try:
        images = rendering.images(post, kind) if kind and not done else []
        # One post, or a thread: each part answers the previous one and is recorded before
        # the next leaves, so a worker that dies between parts resumes after the last one out.
        for index in range(len(done), len(parts)):
            try:
                published = connector.publish(channel, parts[index], images if index == 0 else [],
                                              before_send, reply_to=done[-1] if done else None)
            except DuplicateError:
                published = _own_copy(delivery, parts[index])
                if published is None:
                    raise
                _log(delivery_id, AttemptOutcome.FOUND, published.external_id)
            done.append(published.external_id)
            first_url = first_url or published.external_url
            if index < len(parts) - 1:
                _record_part(mine, done, first_url)
    except Aborted:
        _log(delivery_id, AttemptOutcome.ABORTED, "claim lost before the request left")
        return "aborted"
    except RetryableError as exc:
        return _retry(delivery, mine, exc)
    except CredentialsError as exc:
        flag_channel(channel, exc.message,
                     needs_new_credentials=isinstance(exc, WriteRefusedError))
        return _fail(mine, delivery_id, exc.message, exc.detail)
    except PermanentError as exc:
        return _fail(mine, delivery_id, exc.message, exc.detail)
    except MaybeSentError as exc:
        if mine.filter(request_started_at__isnull=False).exists():
            return _uncertain(mine, delivery_id, channel.kind, exc.message, exc.detail)
        return _retry(delivery, mine, RetryableError(exc.message, exc.detail))
    except Exception as exc:  # a bug or an unexpected library error: never lose it silently
        log.exception("Delivery %s crashed", delivery_id)
        if mine.filter(request_started_at__isnull=False).exists():
            return _uncertain(mine, delivery_id, channel.kind, _("Error inesperado durante el envío."),
                              repr(exc))
        return _fail(mine, delivery_id, _("Error inesperado antes del envío: %(e)s") % {"e": exc},
                     repr(exc))
    now = timezone.now()
    # Sent is the truth even if the sweeper had meanwhile marked this claim uncertain.
    Delivery.objects.filter(pk=delivery_id, claim_token=token).filter(
        state__in=[DeliveryState.SENDING, DeliveryState.UNCERTAIN]).update(
        state=DeliveryState.SENT, finished_at=now, external_id=done[0], external_url=first_url,
        error="", part_ids=done)
    _log(delivery_id, AttemptOutcome.SENT, ", ".join(done))
    if channel.health != ChannelHealth.OK:
        Channel.objects.filter(pk=channel.pk).update(health=ChannelHealth.OK, health_error="")
    if delivery.purpose == DeliveryPurpose.AMPLIFICATION:
        amplify.group_message_sent(post.pk)
    _after_final(delivery_id)
    return "sent"


def _own_copy(delivery: Delivery, text: str):
    """The account's copy of ``text`` made since this delivery was due, when the network
    refused it as a duplicate: an earlier attempt made it although its answer was an error
    (X answering 503 after posting), so it is this delivery's and it is out. None if the
    duplicate is an older post (the person must change the text); a lookup that fails is
    retried later rather than reported as a refusal."""
    if not get_connector(delivery.channel.kind).can_look_up:
        return None
    try:
        return _look_up(delivery, text)
    except ConnectorError as exc:
        raise RetryableError(exc.message, exc.detail) from exc


def _record_part(mine, done: list[str], first_url: str) -> None:
    """A thread's part is out: record it, and that no request is in flight, before the next.

    Committed at once (the worker runs in autocommit): if the worker dies before the next
    part's request leaves, the sweeper returns the claim to pending and the thread resumes
    after this part; if it dies after, the next part is uncertain, looked up, never resent
    blindly. A sweeper that marked the claim uncertain meanwhile stops the thread (the next
    ``before_send`` finds no claim) with what went out on record."""
    mine.filter(state__in=[DeliveryState.SENDING, DeliveryState.UNCERTAIN]).update(
        part_ids=list(done), external_id=done[0], external_url=first_url, request_started_at=None,
        claimed_at=timezone.now())


# Seconds between the deliveries that waited for a channel's pause, once it ends.
PAUSE_PACE = 0.1


def _reschedule_after_pause(delivery_id: int, channel_id: int, paused_until) -> None:
    """A due delivery on a channel the network asked to wait: move it to after the pause.

    Acts on the pause the claim saw, so a message never vanishes because the pause ended
    between the two readings; if it has ended by now, the new message simply runs at once.
    The waiting deliveries line up behind the pause ``PAUSE_PACE`` seconds apart instead of
    all rushing in the second after it: a rush would meet the next rate limit together and
    be moved again, each time, every one of them (work growing with the square of the queue).
    """
    now = timezone.now()
    start = max(paused_until, now)
    # In line: what was due by the end of the pause and waits after it (not later posts).
    in_line = Delivery.objects.filter(
        channel_id=channel_id, state=DeliveryState.PENDING, due_at__lte=start,
        next_attempt_at__gt=start, next_attempt_at__lte=start + timedelta(minutes=10)).count()
    when = start + timedelta(seconds=PAUSE_PACE * (in_line + random.random()))
    soon = _message_now(when, now)
    # Only ever later: a stale message must not bring a retry's back-off forward.
    if Delivery.objects.filter(pk=delivery_id, state=DeliveryState.PENDING, next_attempt_at__lt=when
                               ).update(next_attempt_at=when, enqueued_at=now if soon else None) and soon:
        jobs.send("campaigns.deliver", eta=when, delivery_id=delivery_id)


def _message_now(when, now) -> bool:
    """Whether the next attempt, at ``when``, gets its queue message now (ETA ``when``).

    Only an attempt within the dispatcher's horizon does; a later one is left to the
    dispatcher, which enqueues it when it comes that near. A message with a far ETA waits
    unacknowledged in a worker all that time: RabbitMQ closes the worker's channel once
    its consumer timeout passes (30 minutes by default), and Redis hands the message out
    again every visibility timeout (an hour), one more copy in a worker each time. A rate
    limit of hours (X's daily cap) or a long back-off would do both.
    """
    return when <= now + timedelta(seconds=settings.ENLACE_DISPATCH_HORIZON)


def _retry(delivery: Delivery, mine, exc: RetryableError) -> str:
    attempts = delivery.attempts
    limit = settings.ENLACE_DELIVERY_MAX_ATTEMPTS
    if (not exc.rate_limited and attempts >= limit) or attempts >= limit * 5:
        return _fail(mine, delivery.pk, _("%(m)s Se agotaron los %(n)s intentos; ya no se "
                                          "reintentará.") % {"m": exc.reason, "n": attempts},
                     exc.detail)
    if exc.retry_after is not None:
        delay = exc.retry_after + random.uniform(0.05, 0.5)
    else:
        delay = min(settings.ENLACE_RETRY_BASE * (2 ** (attempts - 1)), 900) * random.uniform(1, 1.3)
    now = timezone.now()
    when = now + timedelta(seconds=delay)
    soon = _message_now(when, now)
    if exc.rate_limited:
        Channel.objects.filter(pk=delivery.channel_id).filter(
            Q(paused_until__isnull=True) | Q(paused_until__lt=when)).update(paused_until=when)
    changed = mine.filter(state=DeliveryState.SENDING).update(
        state=DeliveryState.PENDING, claim_token=None, next_attempt_at=when,
        enqueued_at=now if soon else None, error=exc.message)
    _log(delivery.pk, AttemptOutcome.RETRY_CHECK if exc.in_doubt else AttemptOutcome.RETRY,
         f"{exc.detail} (in {delay:.1f}s)")
    if changed and soon:
        jobs.send("campaigns.deliver", eta=when, delivery_id=delivery.pk)
    return "retry"


def _fail(mine, delivery_id: int, message: str, detail: str) -> str:
    changed = mine.filter(state=DeliveryState.SENDING).update(
        state=DeliveryState.FAILED, finished_at=timezone.now(), error=message, resolved_by=None)
    _log(delivery_id, AttemptOutcome.FAILED, detail or message)
    if changed:
        from . import notify

        jobs.on_commit(notify.delivery_failed, delivery_id)
        _after_final(delivery_id)
    return "failed"


def _uncertain(mine, delivery_id: int, kind: str, message: str, detail: str) -> str:
    changed = mine.filter(state=DeliveryState.SENDING).update(
        state=DeliveryState.UNCERTAIN, finished_at=timezone.now(), resolved_by=None,
        error=message + " " + uncertain_advice(kind))
    if changed:
        _became_uncertain(delivery_id, kind, detail or message)
    else:
        _log(delivery_id, AttemptOutcome.UNCERTAIN, detail or message)
    return "uncertain"


# --- Uncertain deliveries: look before asking a person ----------------------------------------

def lookup_kinds() -> list[str]:
    """Networks whose connector can read the account's recent posts."""
    return [kind for kind in ("telegram", "x") if getattr(get_connector(kind), "can_look_up", False)]

# Seconds to wait before reading the account's recent posts (the network may lag a little).
LOOKUP_DELAY = 5


def uncertain_advice(kind: str) -> str:
    """What the person deciding about an uncertain delivery must know about its network."""
    if kind in lookup_kinds():
        return _("Enlace revisa las publicaciones recientes de la cuenta: si aparece, la marca como "
                 "enviada; si no, se lo dirá aquí y podrá reenviarla (antes de reenviar se revisa "
                 "de nuevo, así que no se publica dos veces).")
    from .enums import ChannelKind

    network = ChannelKind(kind).label if kind in ChannelKind.values else kind
    return _("%(network)s no permite a Enlace consultar lo que ya se publicó: revise el canal. Si la "
             "publicación aparece, confirme con «Sí salió»; si no aparece, reenvíela. Si reenvía una "
             "que ya salió, se publicará dos veces.") % {"network": network}


def _became_uncertain(delivery_id: int, kind: str, detail: str) -> None:
    """Log it; on networks we can look at, check first and tell people only if still unsure."""
    _log(delivery_id, AttemptOutcome.UNCERTAIN, detail)
    if kind in lookup_kinds():
        jobs.send("campaigns.verify_uncertain", delivery_id=delivery_id,
                  eta=timezone.now() + timedelta(seconds=LOOKUP_DELAY))
    else:
        from . import notify

        jobs.on_commit(notify.delivery_failed, delivery_id)
    _after_final(delivery_id)


def _look_up(delivery: Delivery, text: str):
    """The network's copy of this delivery, if it is out (connector.find_published)."""
    connector = get_connector(delivery.channel.kind)
    return connector.find_published(delivery.channel, text,
                                    since=delivery.due_at - timedelta(minutes=1))


def verify_uncertain(delivery_id: int) -> str:
    """Read the account's recent posts: an uncertain delivery that is there becomes sent."""
    row = Delivery.objects.select_related("channel").filter(
        pk=delivery_id, state=DeliveryState.UNCERTAIN).first()
    if row is None or row.channel.kind not in lookup_kinds():
        return "skipped"
    parts, done = split_parts(row.sent_text), list(row.part_ids or [])
    thread = len(parts) > 1 and len(done) < len(parts)
    try:
        found = _look_up(row, parts[len(done)] if thread else row.sent_text)
    except ConnectorError as exc:
        _log(delivery_id, AttemptOutcome.CHECK_FAILED, exc.detail or exc.message)
        if DeliveryAttempt.objects.filter(delivery_id=delivery_id,
                                          at__gte=row.finished_at or row.due_at,
                                          outcome=AttemptOutcome.CHECK_FAILED).count() > 1:
            return "unknown"  # people were told at the first failed check
        found = False
    if found and thread and len(done) + 1 < len(parts):
        # The part in doubt is out: record it and send the rest of the thread after it.
        done.append(found.external_id)
        if Delivery.objects.filter(pk=delivery_id, state=DeliveryState.UNCERTAIN).update(
                state=DeliveryState.PENDING, part_ids=done, external_id=done[0],
                external_url=row.external_url or found.external_url, claim_token=None,
                request_started_at=None, next_attempt_at=timezone.now(), enqueued_at=None,
                finished_at=None, error=""):
            _log(delivery_id, AttemptOutcome.FOUND, found.external_id)
            jobs.on_commit(enqueue, [delivery_id])
        return "found"
    if found:
        if thread:
            done.append(found.external_id)
        first = {"external_id": done[0], "external_url": row.external_url or found.external_url,
                 "part_ids": done} if thread else {
            "external_id": found.external_id, "external_url": found.external_url}
        changed = Delivery.objects.filter(pk=delivery_id, state=DeliveryState.UNCERTAIN).update(
            state=DeliveryState.SENT, error="", finished_at=timezone.now(), **first)
        if changed:
            _log(delivery_id, AttemptOutcome.FOUND, found.external_id)
            if row.purpose == DeliveryPurpose.AMPLIFICATION:
                amplify.group_message_sent(row.post_id)
            _after_final(delivery_id)
        return "found"
    if found is None:
        Delivery.objects.filter(pk=delivery_id, state=DeliveryState.UNCERTAIN).update(
            error=_("Se revisaron las publicaciones recientes de la cuenta y no aparece: no salió. "
                    "Puede reenviarla (antes de enviar se revisa de nuevo)."))
        _log(delivery_id, AttemptOutcome.NOT_FOUND, "not among the account's recent posts")
    from . import notify

    jobs.on_commit(notify.delivery_failed, delivery_id)
    return "not-found" if found is None else "unknown"


def _after_final(delivery_id: int) -> None:
    """When the last publication of a post settles, ask the network to amplify what went out.

    If this job is lost (the broker was down), the sweeper finds the post again
    (``amplify.overdue_posts``); the request itself is made once per post.
    """
    row = Delivery.objects.filter(pk=delivery_id).values_list("post_id", "purpose").first()
    if row is None or row[1] != DeliveryPurpose.PUBLICATION:
        return
    post_id = row[0]
    states = set(Delivery.objects.filter(post_id=post_id, purpose=DeliveryPurpose.PUBLICATION)
                 .values_list("state", flat=True))
    if not states & {DeliveryState.PENDING, DeliveryState.SENDING} and DeliveryState.SENT in states:
        jobs.send_on_commit("campaigns.request_amplification", post_id=post_id)


# --- People's decisions ----------------------------------------------------------------------

def resend(delivery: Delivery, user) -> bool:
    """A person decided to send again a failed or uncertain delivery."""
    now = timezone.now()
    changed = Delivery.objects.filter(
        pk=delivery.pk, state__in=[DeliveryState.FAILED, DeliveryState.UNCERTAIN]).update(
        state=DeliveryState.PENDING, claim_token=None, request_started_at=None, next_attempt_at=now,
        enqueued_at=None, finished_at=None, resolved_by=user, error="")
    if changed:
        _log(delivery.pk, AttemptOutcome.RESEND, f"by {user}")
        jobs.on_commit(enqueue, [delivery.pk])
    return bool(changed)


def confirm_sent(delivery: Delivery, user, external_url: str = "") -> bool:
    """A person checked the network and the uncertain post is there."""
    changed = Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.UNCERTAIN).update(
        state=DeliveryState.SENT, resolved_by=user, external_url=external_url or delivery.external_url,
        error="", finished_at=timezone.now())
    if changed:
        _log(delivery.pk, AttemptOutcome.CONFIRMED, f"by {user}")
        _after_final(delivery.pk)
    return bool(changed)


def discard(delivery: Delivery, user) -> bool:
    changed = Delivery.objects.filter(
        pk=delivery.pk, state__in=[DeliveryState.UNCERTAIN, DeliveryState.FAILED,
                                   DeliveryState.PENDING]).update(
        state=DeliveryState.CANCELLED, resolved_by=user, finished_at=timezone.now())
    if changed:
        _log(delivery.pk, AttemptOutcome.CANCELLED, f"by {user}")
    return bool(changed)
