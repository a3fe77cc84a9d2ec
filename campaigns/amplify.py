"""Amplification requests to the Red de Vinculación.

X forbids automated likes and identical posts on several accounts, so the hub never acts with
members' credentials: it sends each network contact one-click links to like and repost by hand
(X web intents). Each link is signed for the contact's institution and goes through the hub,
which records which institutions acted before redirecting to X. The network's Telegram group
gets one message per post, sent as a delivery (``Delivery.purpose`` = amplification).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from network.enums import PersonRole
from network.models import Person

from . import jobs
from .enums import AmplificationAction, DeliveryPurpose, DeliveryState
from .models import AmplificationClick, AmplificationRequest, Channel, Delivery, Post

log = logging.getLogger(__name__)
SALT = "enlace.amplify"


def intent_url(delivery: Delivery, action: str) -> str:
    if delivery.channel.kind == "x" and delivery.external_id:
        if action == AmplificationAction.LIKE:
            return f"https://x.com/intent/like?tweet_id={delivery.external_id}"
        if action == AmplificationAction.REPOST:
            return f"https://x.com/intent/retweet?tweet_id={delivery.external_id}"
    return delivery.external_url


def actions_for(delivery: Delivery) -> list[str]:
    if delivery.channel.kind == "x":
        return [AmplificationAction.LIKE, AmplificationAction.REPOST]
    return [AmplificationAction.OPEN]


def tracked_url(request: AmplificationRequest, delivery: Delivery, institution_id: int,
                action: str) -> str:
    token = signing.dumps({"r": request.pk, "d": delivery.pk, "i": institution_id, "a": action},
                          salt=SALT, compress=True)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("campaigns_amplify", args=[token])


def record_click(token: str, *, clicked: bool = True) -> str | None:
    """Record an institution's click and return where to send the person (or None if invalid).
    ``clicked=False``: only where the link leads (a HEAD of a link checker, or the site asking
    whether the address exists), nothing recorded."""
    try:
        data = signing.loads(token, salt=SALT, max_age=60 * 60 * 24 * 60)
    except signing.BadSignature:
        return None
    delivery = Delivery.objects.select_related("channel").filter(
        pk=data.get("d"), post__amplification__pk=data.get("r")).first()
    if delivery is None or data.get("a") not in AmplificationAction.values:
        return None
    if not clicked:
        return intent_url(delivery, data["a"])
    try:
        with transaction.atomic():
            AmplificationClick.objects.get_or_create(
                request_id=data["r"], delivery=delivery, institution_id=data["i"], action=data["a"])
    except IntegrityError:
        pass
    return intent_url(delivery, data["a"])


def recipients_for(post: Post):
    """Network contacts with e-mail of the institutions other than the post's own."""
    people = Person.objects.filter(active=True, in_network=True, role__in=PersonRole.network_roles(),
                                   institution__valid_until__isnull=True).exclude(email="")
    own = {i for i in post.deliveries.values_list("channel__institution_id", flat=True) if i}
    if post.institution_id:
        own.add(post.institution_id)
    return people.exclude(institution_id__in=own).select_related("institution")


def _published(post) -> list[Delivery]:
    return list(Delivery.objects.filter(post=post, purpose=DeliveryPurpose.PUBLICATION,
                                        state=DeliveryState.SENT).select_related("channel"))


def request(post_id: int) -> int:
    """Create the post's amplification request once: e-mail the network, message its group.

    The message to the network's Telegram group is a delivery like any other (one row per
    post, purpose ``amplification``): claimed, retried when the network asks, shown in the
    post's report, never sent twice. Running this again (the sweeper does, if the job was
    lost) changes nothing once the request exists.
    """
    post = Post.objects.filter(pk=post_id).first()
    if post is None:
        return 0
    sent = _published(post)
    if not sent:
        return 0
    amp, created = AmplificationRequest.objects.get_or_create(post=post)
    emails = 0
    linked = [d for d in sent if d.external_url]
    if created and linked:
        emails = _email_network(amp, post, linked)
        AmplificationRequest.objects.filter(pk=amp.pk).update(emails_sent=emails)
    schedule_group_message(post)
    return emails


def _email_network(amp: AmplificationRequest, post: Post, sent: list[Delivery]) -> int:
    emails = 0
    for person in recipients_for(post):
        lines = []
        for delivery in sent:
            for action in actions_for(delivery):
                label = AmplificationAction(action).label
                lines.append(f"  {delivery.channel.name} · {label}: "
                             f"{tracked_url(amp, delivery, person.institution_id, action)}")
        body = _("Hola, %(name)s:\n\nSe publicó «%(title)s». Ayude a difundirlo desde la cuenta de "
                 "%(inst)s con un clic (cada enlace abre la red para que usted lo confirme):\n\n"
                 "%(links)s\n\nTexto publicado:\n%(text)s\n\nGracias por sumar su voz al SNT.\n") % {
            "name": person.name, "title": post.title, "inst": person.institution.acronym,
            "links": "\n".join(lines), "text": sent[0].sent_text}
        emails += send_mail(_("[Red SNT] Ayude a difundir: %(title)s") % {"title": post.title}, body,
                            None, [person.email], fail_silently=True)
    return emails


def network_group() -> Channel | None:
    return Channel.objects.filter(is_network_group=True, kind="telegram", active=True).first()


def schedule_group_message(post: Post) -> Delivery | None:
    """The delivery of the request to the network's Telegram group (made once per post)."""
    group = network_group()
    if group is None or not any(d.external_url for d in _published(post)):
        return None
    now = timezone.now()
    delivery, created = Delivery.objects.get_or_create(
        post=post, channel=group, purpose=DeliveryPurpose.AMPLIFICATION,
        defaults={"due_at": now, "next_attempt_at": now, "enqueued_at": now})
    if created and not jobs.send("campaigns.deliver", delivery_id=delivery.pk):
        Delivery.objects.filter(pk=delivery.pk).update(enqueued_at=None)  # the dispatcher will
    return delivery


def group_text(post: Post) -> str:
    """What the network's group reads: the post's title and a link per network action."""
    lines = [_("Nueva publicación para amplificar: %(title)s") % {"title": post.title}]
    for delivery in _published(post):
        if not delivery.external_url:
            continue
        for action in actions_for(delivery):
            lines.append(f"{delivery.channel.name} · {AmplificationAction(action).label}: "
                         f"{intent_url(delivery, action)}")
    return "\n".join(lines)


def group_message_sent(post_id: int) -> None:
    AmplificationRequest.objects.filter(post_id=post_id).update(telegram_sent=True)


def overdue_posts(now=None, grace: float = 60, window: float = 86400):
    """Posts whose publications all settled (one sent) but whose request was never made.

    The job that makes it is enqueued after commit; if the broker lost it, the sweeper asks
    again for these (``jobs.due_again``).
    """
    now = now or timezone.now()
    settled = Delivery.objects.filter(
        purpose=DeliveryPurpose.PUBLICATION, state=DeliveryState.SENT,
        finished_at__lt=now - timedelta(seconds=grace),
        finished_at__gte=now - timedelta(seconds=window)).values("post_id")
    still_open = Delivery.objects.filter(
        purpose=DeliveryPurpose.PUBLICATION,
        state__in=[DeliveryState.PENDING, DeliveryState.SENDING]).values("post_id")
    return (Post.objects.filter(pk__in=settled, amplification__isnull=True)
            .exclude(pk__in=still_open).values_list("pk", flat=True))
