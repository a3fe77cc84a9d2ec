"""The publishing calendar: one entry per post and day, and moving a post to another time.

The calendar, the dashboard's «Programadas» panel and the reschedule endpoint all read from
here; none of it needs a request (the actor is passed in).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Exists, F, Min, OuterRef, Q, Window
from django.db.models.functions import ExtractHour, RowNumber, TruncDate
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Revision, WorkflowState

from .enums import ChannelKind, DeliveryPurpose, DeliveryState
from .models import Channel, Delivery, Post
from .rules import can_publish_posts, can_reschedule_post
from .sendtime import MEXICO_CITY, in_words
from .validation import MAX_AHEAD, snt_approval_needed, too_far_ahead_message

# What an entry of the calendar says about its post (the worst state of its deliveries wins).
ENTRY_STATES = {
    "failed": gettext_lazy("Fallida"),
    "uncertain": gettext_lazy("Incierta"),
    "sending": gettext_lazy("Enviando"),
    "pending": gettext_lazy("Programada"),
    "sent": gettext_lazy("Enviada"),
    "cancelled": gettext_lazy("Cancelada"),
    "moderation": gettext_lazy("En aprobación"),
    "changes": gettext_lazy("Con cambios solicitados"),
    "draft": gettext_lazy("Borrador"),
}
_WORST_FIRST = ["failed", "uncertain", "sending", "pending", "sent", "cancelled"]
# The send time a "+" on a day proposes (Mexico City), or the next full hour on today.
DEFAULT_HOUR = time(10, 0)


class RescheduleRefused(Exception):
    """A move that cannot be made; ``message`` says why, in Spanish, to the person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Target:
    """One channel of an entry: its network (for the icon), name and delivery state."""

    kind: str
    network: str
    name: str
    state: str

    @property
    def state_label(self) -> str:
        return _state_label(self.state, translation.get_language())


@dataclass
class Entry:
    post: Post
    when: datetime
    state: str
    targets: list[Target] = field(default_factory=list)
    editable: bool = False  # nothing sent yet and the actor may edit it: opens the editor
    movable: bool = False  # and may be moved now (calendar drag and drop)

    @property
    def state_label(self) -> str:
        return _state_label(self.state, translation.get_language())

    @property
    def local(self) -> datetime:
        return self.when.astimezone(MEXICO_CITY)

    @property
    def day(self) -> date:
        return self.local.date()

    @property
    def time_label(self) -> str:
        return self.local.strftime("%H:%M")

    @property
    def day_label(self) -> str:
        return day_label(self.local.date(), short=True)


def day_label(day: date, short: bool = False) -> str:
    """'viernes 27 de noviembre' / 'vie 27 nov' (Spanish writes weekdays and months in lower
    case); 'Friday, November 27' / 'Fri 27 Nov' in English."""
    if (translation.get_language() or "es").startswith("es"):
        return formats.date_format(day, "D j M" if short else r"l j \d\e F").lower()
    return formats.date_format(day, "D j M" if short else "l, F j")


# The calendar shows months between these days (beyond them a month cannot be paged, and
# the posts listing filters no day outside them).
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2199, 12, 31)


def local_day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """From the start of ``first`` to the end of ``last``, Mexico City time."""
    return (datetime.combine(first, time.min, tzinfo=MEXICO_CITY),
            datetime.combine(last + timedelta(days=1), time.min, tzinfo=MEXICO_CITY))


def _started(deliveries):
    """Deliveries attempted, being sent, or over (cancelled ones do not count)."""
    return deliveries.exclude(state=DeliveryState.CANCELLED).filter(
        ~Q(state=DeliveryState.PENDING) | Q(attempts__gt=0) | Q(claim_token__isnull=False))


def _has_started(post: Post) -> bool:
    return _started(post.deliveries.all()).exists()


def _why_not_editable(actor, post: Post) -> str | None:
    if not can_reschedule_post(actor, post):
        return _("No tiene permiso para cambiar la fecha de esta publicación.")
    if _has_started(post):
        return _("Esta publicación ya empezó a enviarse; su fecha ya no se puede cambiar.")
    return None


@dataclass(frozen=True)
class LockFacts:
    """What decides whether posts can be moved, read for many posts in three queries: those
    with an SNT channel, and those that might hold a lock (an approved schedule or a workflow
    in progress; Wagtail's own ``get_lock`` is asked only for these)."""

    on_snt: frozenset[int]
    maybe_locked: frozenset[int]

    @classmethod
    def of(cls, post_ids) -> LockFacts:
        ids = list(post_ids)
        if not ids:
            return cls(frozenset(), frozenset())
        kind = ContentType.objects.get_for_model(Post)
        keys = [str(pk) for pk in ids]
        on_snt = Post.channels.through.objects.filter(
            post_id__in=ids, channel__institution__isnull=True).values_list("post_id", flat=True)
        scheduled = Revision.objects.filter(
            base_content_type=kind, object_id__in=keys, approved_go_live_at__isnull=False
        ).values_list("object_id", flat=True)
        in_workflow = WorkflowState.objects.active().filter(
            base_content_type=kind, object_id__in=keys).values_list("object_id", flat=True)
        return cls(frozenset(on_snt),
                   frozenset(int(pk) for pk in (*scheduled, *in_workflow)))

    def on_snt_channel(self, post: Post) -> bool:
        return post.pk in self.on_snt

    def lock(self, post: Post):
        return post.get_lock() if post.locked or post.pk in self.maybe_locked else None


def _why_not_movable_now(actor, post: Post, facts: LockFacts | None = None) -> str | None:
    facts = facts or LockFacts.of([post.pk])
    if post.live and post.has_unpublished_changes:
        return _("Esta publicación tiene cambios sin publicar: ábrala para cambiar su fecha.")
    if post.live and (not can_publish_posts(actor)
                      or snt_approval_needed(facts.on_snt_channel(post), actor)):
        return _("Solo Coordinación puede cambiar la fecha de una publicación ya aprobada para "
                 "canales del SNT.")
    lock = facts.lock(post)
    if lock is not None and lock.for_user(actor):
        return _("La publicación está bloqueada para edición; pida que la desbloqueen.")
    return None


def why_not_movable(actor, post: Post) -> str | None:
    """The reason the actor cannot move this post now (None: they can)."""
    return _why_not_editable(actor, post) or _why_not_movable_now(actor, post)


def reschedule(actor, post: Post, when: datetime) -> Post:
    """Move ``post`` to send at ``when`` (aware), as ``actor``.

    Refused (:class:`RescheduleRefused`, nothing changes) when the actor may not edit the
    post, when any of its deliveries was already attempted or is over, when ``when`` is in the
    past or more than five years ahead, or when a live post has unpublished changes or needs
    Coordinación's approval. Side effects, in one transaction: ``publish_at`` changes, a new
    revision is saved as ``actor`` (logged as ``wagtail.edit``); a live post is published again
    (``wagtail.publish``), and every pending delivery moves to the new time with it (conditional
    UPDATEs: a delivery a worker claimed meanwhile makes the whole move fail). After the commit
    the moved deliveries are enqueued for their new time; a queue message for the old time
    finds nothing due to claim, so each channel still gets the post once.
    """
    if when.tzinfo is None:
        raise ValueError("reschedule() needs an aware datetime")
    now = timezone.now()
    if when.date() > (now + MAX_AHEAD).date():  # by date first: year 9999 overflows in UTC
        raise RescheduleRefused(too_far_ahead_message())
    if when < now:
        raise RescheduleRefused(_(
            "La nueva fecha (%(when)s, hora del centro de México) ya pasó. Elija un día y una "
            "hora futuros.") % {"when": when.astimezone(MEXICO_CITY).strftime("%d/%m/%Y %H:%M")})
    if when > now + MAX_AHEAD:
        raise RescheduleRefused(too_far_ahead_message())
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        reason = why_not_movable(actor, post)
        if reason:
            raise RescheduleRefused(reason)
        post.publish_at = when
        if post.live:
            Delivery.objects.filter(
                post=post, state=DeliveryState.PENDING, attempts=0, claim_token__isnull=True,
            ).update(due_at=when, next_attempt_at=when, enqueued_at=None)
            if _has_started(post):  # a worker claimed one between the check and the UPDATE
                raise RescheduleRefused(_(
                    "Esta publicación empezó a enviarse mientras tanto; su fecha no cambió."))
            post.save_revision(user=actor, log_action=True, clean=False).publish(
                user=actor, changed=True)  # campaigns.signals schedules (and enqueues) it
        else:
            post.save(update_fields=["publish_at", "updated_at"])
            post.save_revision(user=actor, log_action=True, clean=False)
    return post


def moved_message(post: Post) -> str:
    """'«Título»: se enviará el lunes 30 de noviembre a las 10:00, hora del centro de México.'"""
    return _("«%(title)s»: %(when)s") % {"title": post.title, "when": in_words(post.publish_at)}


# --- What the calendar and the dashboard show ------------------------------------------------

def _entry_state(states: list[str]) -> str:
    return next((s for s in _WORST_FIRST if s in states), "pending")


def _target(channel, state: str) -> Target:
    return Target(kind=channel.kind, network=_network_label(channel.kind), name=channel.name,
                  state=state)


# A month of the calendar names thousands of states and networks: each label is translated
# once per language.
@lru_cache(maxsize=64)
def _state_label(state: str, language: str | None) -> str:
    return str(ENTRY_STATES.get(state, ""))


@lru_cache(maxsize=64)
def _kind_label(kind: str, language: str | None) -> str:
    return str(ChannelKind(kind).label) if kind in ChannelKind.values else kind


def _network_label(kind: str) -> str:
    return _kind_label(kind, translation.get_language())


def _drafts(posts, since, until):
    """Posts not live with a send time in the window, with whether they await approval or
    Coordinación asked for changes."""
    def in_status(status):
        return Count("workflow_states", distinct=True, filter=Q(workflow_states__status=status))

    return (_draft_posts(posts, since, until)
            .annotate(moderation=in_status(WorkflowState.STATUS_IN_PROGRESS),
                      changes=in_status(WorkflowState.STATUS_NEEDS_CHANGES))
            .prefetch_related("channels").order_by("publish_at"))


# A post unpublished before it went out is a draft again, its deliveries cancelled: the calendar
# shows it once, as the draft it is. One unpublished after going out shows what went out.
def _publications(deliveries, since, until):
    return deliveries.filter(due_at__gte=since, due_at__lt=until,
                             purpose=DeliveryPurpose.PUBLICATION).exclude(
        state=DeliveryState.CANCELLED, post__live=False)


def _draft_posts(posts, since, until):
    went_out = Delivery.objects.filter(post=OuterRef("pk"), purpose=DeliveryPurpose.PUBLICATION
                                       ).exclude(state=DeliveryState.CANCELLED)
    return posts.filter(live=False, publish_at__gte=since, publish_at__lt=until).exclude(
        Exists(went_out))


def entries(actor, deliveries, posts, since: datetime, until: datetime,
            only: set[tuple[int, date]] | None = None) -> list[Entry]:
    """One entry per post and Mexico City day between ``since`` and ``until``, in time order.

    ``deliveries`` and ``posts`` are the actor's scoped (and filtered) querysets: a published
    post appears on the day of its deliveries, a draft or a post awaiting approval on the day
    of its send time. ``only``: the (post id, day) of the published posts wanted."""
    # A month holds thousands of deliveries: read them as plain rows, and each post and
    # channel once (not one model instance of each per delivery).
    grouped: dict[tuple[int, date], list[tuple]] = defaultdict(list)
    rows = (_publications(deliveries, since, until)
            .order_by("due_at", "pk").values_list("post_id", "channel_id", "due_at", "state"))
    for post_id, channel_id, due_at, state in rows:
        key = (post_id, due_at.astimezone(MEXICO_CITY).date())
        if only is None or key in only:
            grouped[key].append((channel_id, due_at, state))
    sent_posts = Post.objects.in_bulk({post_id for post_id, _day in grouped})
    channels = Channel.objects.in_bulk({row[0] for group in grouped.values() for row in group})
    drafts = list(_drafts(posts, since, until))
    # Both querysets are the actor's scope: one permission check and one query for all posts.
    post_ids = {post_id for post_id, _day in grouped} | {post.pk for post in drafts}
    started = set(_started(Delivery.objects.filter(post_id__in=post_ids))
                  .values_list("post_id", flat=True))
    may_edit = bool(getattr(actor, "is_active", False) and actor.has_perm("campaigns.change_post"))
    result = []
    abilities: dict[int, tuple[bool, bool]] = {}
    facts = LockFacts.of(post_ids) if may_edit else None

    def able(post) -> tuple[bool, bool]:
        if post.pk not in abilities:
            editable = may_edit and post.pk not in started
            abilities[post.pk] = (editable,
                                  editable and _why_not_movable_now(actor, post, facts) is None)
        return abilities[post.pk]

    for (post_id, _day), group in grouped.items():
        post = sent_posts[post_id]
        result.append(Entry(post, group[0][1], _entry_state([state for *_, state in group]),
                            [_target(channels[channel_id], state)
                             for channel_id, _due, state in group], *able(post)))
    for post in drafts:
        state = "changes" if post.changes else "moderation" if post.moderation else "draft"
        result.append(Entry(post, post.publish_at, state,
                            [_target(c, state) for c in post.channels.all()], *able(post)))
    return sorted(result, key=lambda e: (e.when, e.post.pk))


# The value of the calendar's institution filter that names Coordinación's own channels.
SNT = "snt"


def deliveries_on(deliveries, institution: int | str | None = None, channels=()):
    """The calendar's channel filters on deliveries: those on a channel of ``institution`` (an
    institution's id, or ``SNT`` for the SNT's own channels) and on one of ``channels``."""
    if institution == SNT:
        deliveries = deliveries.filter(channel__institution__isnull=True)
    elif institution is not None:
        deliveries = deliveries.filter(channel__institution_id=institution)
    if channels:
        deliveries = deliveries.filter(channel_id__in=channels)
    return deliveries


def posts_on(posts, institution: int | str | None = None, channels=()):
    """The same filters on posts not yet published: those naming such a channel."""
    targets = None
    if institution == SNT:
        targets = Post.objects.filter(channels__institution__isnull=True)
    elif institution is not None:
        targets = Post.objects.filter(channels__institution_id=institution)
    if channels:
        targets = (targets if targets is not None else Post.objects).filter(
            channels__pk__in=channels)
    return posts if targets is None else posts.filter(pk__in=targets.values("pk"))


def in_cell(posts, deliveries, day: date, hour: int | None = None, *,
            institution: int | str | None = None, channels=()):
    """The posts the calendar draws on ``day``, or in its ``hour`` (Mexico City), filtered as
    the calendar filters them: a published post where its first delivery of the day on those
    channels falls, one not yet published at its send time. ``posts`` (which may be annotated)
    and ``deliveries`` are the actor's scope."""
    day_since, day_until = local_day_bounds(day, day)
    since, until = day_since, day_until
    if hour is not None:
        since = datetime.combine(day, time(hour), tzinfo=MEXICO_CITY)
        until = since + timedelta(hours=1)
    first_due = (_publications(deliveries_on(deliveries, institution, channels),
                               day_since, day_until)
                 .order_by().values("post_id").annotate(first=Min("due_at"))
                 .filter(first__gte=since, first__lt=until).values("post_id"))
    drafts = _draft_posts(posts_on(Post.objects.all(), institution, channels),
                          since, until).values("pk")
    return posts.filter(Q(pk__in=first_due) | Q(pk__in=drafts))


def _first_of_each_slot(rows, when: str, key: str, per_slot: int, by_hour: bool):
    """``rows`` (with a ``day`` and a ``when``) numbered in time order within their slot (a
    day, or an hour of a day) and counted per slot, by the database; only the first
    ``per_slot`` of each slot are returned."""
    slot = [F("day")]
    if by_hour:
        slot.append(ExtractHour(when, tzinfo=MEXICO_CITY))
    return rows.annotate(
        rank=Window(RowNumber(), partition_by=slot, order_by=[F(when).asc(), F(key).asc()]),
        in_slot=Window(Count("*"), partition_by=slot),
    ).filter(rank__lte=per_slot)


@dataclass
class Slots:
    """What a calendar draws: the first entries of each slot (a Mexico City day, or
    ``(day, hour)``) and how many entries each slot holds."""

    by_day: dict[date, list[Entry]]
    totals: dict
    by_hour: bool = False

    def hidden(self, slot) -> int:
        """Entries of ``slot`` not drawn."""
        day = slot[0] if isinstance(slot, tuple) else slot
        drawn = sum(1 for e in self.by_day.get(day, ()) if self.slot_of(e) == slot)
        return self.totals.get(slot, 0) - drawn

    def slot_of(self, entry: Entry):
        return (entry.day, entry.local.hour) if self.by_hour else entry.day


def calendar_slots(actor, deliveries, posts, since: datetime, until: datetime, *,
                   per_slot: int, by_hour: bool = False, per_day: int | None = None) -> Slots:
    """The entries of :func:`entries`, at most ``per_slot`` per day (or per hour of a day
    with ``by_hour``), the earliest first, and how many each slot holds. With ``per_day``,
    at most that many a day too, taken in turns: each busy hour's first entry before any
    hour's second. The database numbers and counts them: only the posts drawn are read, in a
    fixed number of queries however many posts the window holds."""
    published = _first_of_each_slot(
        _publications(deliveries, since, until)
        .annotate(day=TruncDate("due_at", tzinfo=MEXICO_CITY))
        .values("post_id", "day").annotate(when=Min("due_at")).order_by(),
        "when", "post_id", per_slot, by_hour)
    drafts = _first_of_each_slot(
        _draft_posts(posts, since, until).annotate(
            day=TruncDate("publish_at", tzinfo=MEXICO_CITY), when=F("publish_at"))
        .values("pk", "day", "when").order_by(),
        "when", "pk", per_slot, by_hour)
    totals: dict = defaultdict(int)
    candidates: dict = defaultdict(list)
    for source, rows, key in (("sent", published, "post_id"), ("draft", drafts, "pk")):
        counted = set()
        for row in rows:
            local = row["when"].astimezone(MEXICO_CITY)
            slot = (local.date(), local.hour) if by_hour else local.date()
            if slot not in counted:
                counted.add(slot)
                totals[slot] += row["in_slot"]
            candidates[slot].append((row["when"], row[key], source))
    turns = [(turn, c) for found in candidates.values()
             for turn, c in enumerate(sorted(found)[:per_slot])]
    if per_day is not None:
        by_date: dict[date, list] = defaultdict(list)
        for turn, (when, pk, source) in turns:
            by_date[when.astimezone(MEXICO_CITY).date()].append((turn, (when, pk, source)))
        turns = [t for found in by_date.values() for t in sorted(found)[:per_day]]
    chosen = [c for _turn, c in turns]
    wanted = {(pk, when.astimezone(MEXICO_CITY).date()) for when, pk, source in chosen
              if source == "sent"}
    draft_ids = {pk for _when, pk, source in chosen if source == "draft"}
    found = entries(actor, deliveries.filter(post_id__in={pk for pk, _day in wanted}),
                    posts.filter(pk__in=draft_ids), since, until, only=wanted)
    by_day: dict[date, list[Entry]] = defaultdict(list)
    for entry in found:
        by_day[entry.day].append(entry)
    return Slots(dict(by_day), dict(totals), by_hour)


def upcoming(actor, limit: int = 8) -> list[Entry]:
    """The next ``limit`` posts of the actor's scope that still have to go out: published ones
    with pending deliveries, and drafts or posts awaiting approval with a future send time."""
    now = timezone.now()
    until = now + MAX_AHEAD
    pending = Delivery.objects.for_user(actor).filter(state=DeliveryState.PENDING)
    # Enough deliveries for ``limit`` posts of up to six channels each.
    first = list(pending.filter(purpose=DeliveryPurpose.PUBLICATION)
                 .order_by("due_at").values_list("due_at", flat=True)[:limit * 6])
    if first:
        until = min(until, first[-1] + timedelta(seconds=1))
    found = entries(actor, pending, Post.objects.in_scope_of(actor), min([now, *first]), until)
    seen, result = set(), []
    for entry in found:
        if entry.post.pk not in seen:
            seen.add(entry.post.pk)
            result.append(entry)
    return result[:limit]


def suggested_send_time(day: date, now: datetime | None = None) -> datetime | None:
    """What "+" on ``day`` proposes: 10:00 Mexico City time, or on today the next full hour
    (None when the day is over or past)."""
    now = (now or timezone.now()).astimezone(MEXICO_CITY)
    if day < now.date():
        return None
    if day == now.date():
        following = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        return following if following.date() == day else None
    return datetime.combine(day, DEFAULT_HOUR, tzinfo=MEXICO_CITY)


def at_same_time_on(post: Post, day: date, hour: time | None = None) -> datetime:
    """``day`` at ``hour``, or at the post's own time of day (Mexico City time)."""
    if hour is None:
        first_due = post.deliveries.order_by("due_at").values_list("due_at", flat=True).first()
        current = post.publish_at or first_due or timezone.now()
        hour = current.astimezone(MEXICO_CITY).time().replace(second=0, microsecond=0)
    return datetime.combine(day, hour, tzinfo=MEXICO_CITY)
