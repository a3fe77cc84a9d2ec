"""«Añadir a la cola»: a post takes the next free hour of its channels' posting schedules.

Each channel has weekly slots (``PostingSlot``: weekday and Mexico City wall-clock time). A
post goes to the first slot, after now, that is in the schedule of every one of its channels
and that no other scheduled post of those channels already holds. Two officers queueing at
once wait for each other on the channels' rows (``select_for_update``), so they never get the
same slot.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.actions.publish_revision import PublishPermissionError
from wagtail.models import WorkflowState

from . import rules
from .enums import DeliveryPurpose, DeliveryState
from .models import Channel, PostingSlot
from .models import Post as PostModel
from .preferences import system_hashtag
from .sendtime import MEXICO_CITY, day_and_hour
from .validation import needs_approval, validate_post

# How far ahead the queue looks for a free slot.
HORIZON_WEEKS = 12


class QueueError(Exception):
    """The post cannot be queued; ``message`` says why, in Spanish."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def common_slots(channels) -> dict[int, list]:
    """{weekday: [times]} present in the schedule of every channel (empty if any has none)."""
    channels = list(channels)
    if not channels:
        return {}
    per_channel: dict[int, set] = {c.pk: set() for c in channels}
    for channel_id, weekday, time in PostingSlot.objects.filter(
            channel__in=channels).values_list("channel_id", "weekday", "time"):
        per_channel[channel_id].add((weekday, time))
    shared = set.intersection(*per_channel.values())
    week: dict[int, list] = {}
    for weekday, time in sorted(shared):
        week.setdefault(weekday, []).append(time)
    return week


def candidate_times(week: dict[int, list], after: datetime, weeks: int = HORIZON_WEEKS):
    """Aware datetimes of the weekly slots, in order, strictly after ``after``."""
    start: date = after.astimezone(MEXICO_CITY).date()
    for offset in range(weeks * 7 + 1):
        day = start + timedelta(days=offset)
        for time in week.get(day.weekday(), ()):
            moment = datetime.combine(day, time, tzinfo=MEXICO_CITY)
            if moment > after:
                yield moment


def taken_times(channels, after: datetime, until: datetime, *, exclude_post=None) -> set:
    """Send times already held on any of ``channels``: posts that are live or waiting for
    Coordinación's approval (drafts hold nothing)."""
    scheduled = PostModel.objects.filter(
        channels__in=list(channels), publish_at__gt=after, publish_at__lte=until).filter(
        Q(live=True) | Q(workflow_states__status=WorkflowState.STATUS_IN_PROGRESS))
    if exclude_post is not None:
        scheduled = scheduled.exclude(pk=exclude_post)
    return set(scheduled.values_list("publish_at", flat=True))


def next_free_slot(channels, *, after: datetime | None = None, exclude_post=None) -> datetime:
    """The first slot after ``after`` (now) free on every channel. Raises ``QueueError``."""
    channels = list(channels)
    after = after or timezone.now()
    week = common_slots(channels)
    if not week:
        if len(channels) == 1:
            raise QueueError(_("El canal «%(c)s» no tiene horarios de publicación. Agréguelos en "
                               "Campañas › Canales (editar el canal).") % {"c": channels[0].name})
        raise QueueError(_("Los canales elegidos no tienen ningún horario de publicación en común. "
                           "Agregue el mismo día y hora en cada canal, o elija menos canales."))
    until = after + timedelta(weeks=HORIZON_WEEKS, days=1)
    taken = taken_times(channels, after, until, exclude_post=exclude_post)
    for moment in candidate_times(week, after):
        if moment not in taken:
            return moment
    raise QueueError(_("Todos los horarios de publicación de las próximas %(n)s semanas están "
                       "ocupados. Agregue horarios al canal o programe la hora a mano.")
                     % {"n": HORIZON_WEEKS})


def queued_message(moment: datetime) -> str:
    return _("Se programó para el %(fecha)s a las %(hora)s (hora del centro de México).") % (
        day_and_hour(moment))


def _editable_version(post):
    """The post as its latest revision has it (what the editor shows), or the row."""
    if post.latest_revision_id:
        return post.get_latest_revision_as_object()
    return post


def check_post_queueable(actor, post) -> None:
    """Raise ``QueueError`` when the post itself cannot be queued now, whatever its channels:
    locked by someone else, published with changes not published yet, in moderation, or
    already (being) sent. Queueing saves and publishes the latest version, so the editor's own
    rules apply first. The confirmation page asks this before proposing a slot."""
    lock = post.get_lock()
    if lock is not None and lock.for_user(actor):
        raise QueueError(_("La publicación está bloqueada para edición por otra persona; pida "
                           "que la desbloqueen antes de ponerla en la cola."))
    if post.live and post.has_unpublished_changes:
        raise QueueError(_("Esta publicación tiene cambios sin publicar: ábrala y publíquelos (o "
                           "descártelos) antes de ponerla en la cola."))
    if post.workflow_in_progress:
        raise QueueError(_("Esta publicación está en moderación: espere la decisión de "
                           "Coordinación o cancele la moderación antes de ponerla en la cola."))
    started = post.deliveries.filter(purpose=DeliveryPurpose.PUBLICATION).exclude(
        state=DeliveryState.PENDING, attempts=0).exclude(state=DeliveryState.CANCELLED)
    if started.exists():
        raise QueueError(_("Esta publicación ya se envió (o se está enviando) en algún canal; "
                           "no se puede volver a programar."))


def _check_queueable(actor, post, channels, approval: bool) -> None:
    check_post_queueable(actor, post)
    if not channels:
        raise QueueError(_("Elija al menos un canal antes de ponerla en la cola."))
    if approval and post.live:
        raise QueueError(_("Coordinación ya aprobó esta publicación para canales del SNT; "
                           "pídale que cambie la hora de envío."))
    if not approval and not rules.can_publish_posts(actor):
        raise QueueError(_("Su cuenta no puede publicar; pida a Coordinación que la programe."))


def add_to_queue(actor, post_id) -> datetime:
    """Give a post (of the actor's scope) the next free slot of its channels and send it on its
    way, by the same rules as the editor: published at once for its own institution's channels,
    sent to Coordinación's approval when one channel is the SNT's.

    Side effects, in one transaction: the channels' rows locked until the commit, a new
    revision with ``publish_at`` set (logged as ``actor``), then either the revision published
    (deliveries created or moved to the slot, ``campaigns.signals``) or the approval workflow
    started. Raises ``QueueError`` (nothing changed) when the post is outside the actor's
    scope, locked by someone else, published with changes not published yet, already sent, in
    moderation, invalid, or when no slot is free.
    """
    with transaction.atomic():
        post = rules.scope(actor, PostModel.objects.all()).filter(pk=post_id).first()
        if post is None:
            raise QueueError(_("No existe esa publicación o no puede modificarla."))
        version = _editable_version(post)
        chosen = [c.pk for c in version.channels.all()]
        # Locked in one order: two officers queueing on the same channels wait for each other.
        channels = list(Channel.objects.select_for_update().filter(pk__in=chosen).order_by("pk"))
        approval = needs_approval(channels, actor)
        _check_queueable(actor, post, channels, approval)
        moment = next_free_slot(channels, exclude_post=post.pk)
        version.publish_at = moment
        errors = validate_post(
            user=actor, text=version.text, link=version.link,
            tags=[t.name for t in version.tags.all()], channels=channels,
            variants={v.channel_id: v.text for v in version.variants.all()},
            image_count=len([i for i in version.images.all() if i.image_id]),
            publish_at=moment, hashtag=system_hashtag())
        if errors:
            raise QueueError(" ".join(m for messages in errors.values() for m in messages))
        if not post.live:  # the row of a draft is the draft: it holds the slot from now on
            PostModel.objects.filter(pk=post.pk).update(publish_at=moment)
        revision = version.save_revision(user=actor, log_action=True, clean=False)
        if approval:
            workflow = version.get_workflow()
            if workflow is None:
                raise QueueError(_("No hay un flujo de aprobación para canales del SNT."))
            workflow.start(version, actor)
        else:
            try:
                revision.publish(user=actor)
            except PublishPermissionError as exc:
                raise QueueError(_("Su cuenta no puede publicar; pida a Coordinación que la "
                                   "programe.")) from exc
    return moment
