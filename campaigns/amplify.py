"""Amplification requests to the Red de Vinculación.

X forbids automated likes and identical posts on several accounts, so the hub never acts with
members' credentials: it sends each network contact one-click links to like and repost by hand
(X web intents). Each link is signed for the contact's institution and goes through the hub,
which records which institutions acted before redirecting to X.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from network.enums import PersonRole
from network.models import Person

from .connectors import ConnectorError, get_connector
from .enums import AmplificationAction, DeliveryState
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


def record_click(token: str) -> str | None:
    """Record an institution's click and return where to send the person (or None if invalid)."""
    try:
        data = signing.loads(token, salt=SALT, max_age=60 * 60 * 24 * 60)
    except signing.BadSignature:
        return None
    delivery = Delivery.objects.select_related("channel").filter(
        pk=data.get("d"), post__amplification__pk=data.get("r")).first()
    if delivery is None or data.get("a") not in AmplificationAction.values:
        return None
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


def request(post_id: int) -> int:
    """Create the post's amplification request once, and send it."""
    post = Post.objects.filter(pk=post_id).first()
    if post is None:
        return 0
    sent = list(Delivery.objects.filter(post=post, state=DeliveryState.SENT)
                .exclude(external_url="").select_related("channel"))
    if not sent:
        return 0
    amp, created = AmplificationRequest.objects.get_or_create(post=post)
    if not created:
        return 0
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
    AmplificationRequest.objects.filter(pk=amp.pk).update(emails_sent=emails)
    _notify_group(amp, post, sent)
    return emails


def _notify_group(amp: AmplificationRequest, post: Post, sent: list[Delivery]) -> None:
    group = Channel.objects.filter(is_network_group=True, kind="telegram", active=True).first()
    if group is None:
        return
    # At most once: the flag is taken before the message is sent.
    if not AmplificationRequest.objects.filter(pk=amp.pk, telegram_sent=False).update(
            telegram_sent=True):
        return
    lines = [_("Nueva publicación para amplificar: %(title)s") % {"title": post.title}]
    for delivery in sent:
        for action in actions_for(delivery):
            lines.append(f"{delivery.channel.name} · {AmplificationAction(action).label}: "
                         f"{intent_url(delivery, action)}")
    try:
        get_connector("telegram").publish(group, "\n".join(lines), [], lambda: True)
    except ConnectorError as exc:
        log.warning("Amplification message to the network group failed: %s", exc.detail)
        AmplificationRequest.objects.filter(pk=amp.pk).update(telegram_sent=False)
