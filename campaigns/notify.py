"""Telling people: failed or uncertain deliveries, and channels whose credentials fail."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _

from network import rules

from .models import Channel, Delivery


def _admin_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def responsible_users(institution_id: int | None):
    """Officers of the institution; Coordinación for SNT channels."""
    User = get_user_model()
    users = User.objects.filter(is_active=True).exclude(email="")
    if institution_id is None:
        return users.filter(groups__name=rules.COORDINATION).distinct()
    return users.filter(groups__name=rules.COMMUNICATIONS,
                        staff_profile__institution_id=institution_id).distinct()


def delivery_failed(delivery_id: int) -> None:
    delivery = Delivery.objects.select_related("post__author", "channel").get(pk=delivery_id)
    recipients = {u.email for u in responsible_users(delivery.channel.institution_id)}
    author = delivery.post.author
    if author and author.email:
        recipients.add(author.email)
    if not recipients:
        return
    url = _admin_url(reverse("campaigns_deliveries") + f"?estado={delivery.state}")
    subject = _("[Enlace] No se confirmó el envío de «%(post)s» a %(channel)s") % {
        "post": delivery.post.title, "channel": delivery.channel.name}
    body = _("La publicación «%(post)s» no se pudo confirmar en el canal %(channel)s.\n\n"
             "Estado: %(state)s\nMotivo: %(reason)s\n\nRevise y decida qué hacer en %(url)s\n") % {
        "post": delivery.post.title, "channel": delivery.channel, "state": delivery.get_state_display(),
        "reason": delivery.error, "url": url}
    send_mail(subject, body, None, sorted(recipients), fail_silently=True)


def channel_failing(channel_id: int) -> None:
    channel = Channel.objects.get(pk=channel_id)
    recipients = sorted({u.email for u in responsible_users(channel.institution_id)})
    if not recipients:
        return
    subject = _("[Enlace] El canal %(channel)s dejó de funcionar") % {"channel": channel.name}
    body = _("Las credenciales del canal %(channel)s fallaron: %(reason)s\n\n"
             "Las publicaciones a este canal fallarán hasta que se actualicen en %(url)s\n") % {
        "channel": channel, "reason": channel.health_error,
        "url": _admin_url(reverse("wagtailsnippets_campaigns_channel:edit", args=[channel.pk]))}
    send_mail(subject, body, None, recipients, fail_silently=True)
