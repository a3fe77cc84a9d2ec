"""Checking, flagging and connecting a channel: one module for the admin form, the API and the
periodic check, so that all three record the same facts (health, ``health_checked_at``, the
account the network reports).

Side effects are listed in each function's docstring. None of them takes a request.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .connectors import (
    Account,
    ConnectorError,
    CredentialsError,
    PermanentError,
    WriteRefusedError,
    get_connector,
)
from .enums import ChannelHealth
from .models import Channel

log = logging.getLogger(__name__)


def check_channel(channel: Channel, credentials: dict | None = None) -> Account:
    """Ask the network who the credentials belong to; raises the connector's error.

    No side effect: it writes nothing (see :func:`probe` and :func:`connect` for that).
    """
    connector = get_connector(channel.kind)
    if connector is None:
        raise PermanentError(_("Esta red todavía no se puede conectar desde Enlace."))
    if credentials is None:
        credentials = channel.get_credentials()
    missing = [str(f.label) for f in connector.credential_fields
               if not str(credentials.get(f.name) or "").strip()]
    if missing:
        raise CredentialsError(_("Faltan datos para conectar el canal: %(f)s.") % {
            "f": ", ".join(missing)})
    if connector.needs_chat_id and not (channel.chat_id or "").strip():
        raise PermanentError(_("Indique el chat id o el @usuario del canal de Telegram."))
    return connector.check(channel, {f.name: str(credentials[f.name]).strip()
                                     for f in connector.credential_fields})


def flag_channel(channel: Channel, message: str, *, needs_new_credentials: bool = False) -> None:
    """Mark a channel whose credentials fail and tell its institution (once per failure).
    ``needs_new_credentials``: the token itself may not post, so only new credentials clear
    the flag (:func:`connect`), not a check that passes (:func:`probe`).

    Side effects: updates ``health``/``health_error``/``health_checked_at`` (and
    ``needs_new_credentials`` when given); after commit, mails the institution the first time
    the channel turns failing.
    """
    sticky = {"needs_new_credentials": True} if needs_new_credentials else {}
    changed = Channel.objects.filter(pk=channel.pk).exclude(health=ChannelHealth.FAILING).update(
        health=ChannelHealth.FAILING, health_error=message, health_checked_at=timezone.now(),
        **sticky)
    if not changed:  # already failing: keep the latest reason
        Channel.objects.filter(pk=channel.pk).update(health_error=message, **sticky)
    if changed:
        from . import notify

        transaction.on_commit(lambda: notify.channel_failing(channel.pk))


def _record_ok(channel: Channel, account: Account) -> None:
    now = timezone.now()
    Channel.objects.filter(pk=channel.pk).update(
        health=ChannelHealth.OK, health_error="", health_checked_at=now,
        handle=account.handle, account_id=account.account_id)
    channel.health, channel.health_error, channel.health_checked_at = ChannelHealth.OK, "", now
    channel.handle, channel.account_id = account.handle, account.account_id


def _record_unreachable(channel: Channel, message: str) -> None:
    """The network was unreachable or refused something other than the credentials."""
    Channel.objects.filter(pk=channel.pk).update(health_checked_at=timezone.now(),
                                                 health_error=message)


def probe(channel: Channel) -> Account:
    """'Probar conexión' on a saved channel, by a person or by the periodic check.

    Side effects: on success the channel is marked working with its account; credentials the
    network refuses flag it (and tell its institution); any other failure is noted without
    alarm. Raises the connector's error after recording it.
    """
    try:
        account = check_channel(channel)
    except CredentialsError as exc:
        flag_channel(channel, exc.message)
        raise
    except ConnectorError as exc:
        _record_unreachable(channel, exc.message)
        raise
    if Channel.objects.filter(pk=channel.pk, needs_new_credentials=True).exists():
        # The account answers, as it did while its token was refused: still no proof it may post.
        refused = WriteRefusedError(_(
            "La cuenta responde, pero este token no tiene permiso para publicar: %(why)s") % {
            "why": _("genere un token de acceso nuevo con permiso de lectura y escritura y "
                     "actualice el canal; la conexión se probará de nuevo al guardarlo.")})
        flag_channel(channel, refused.message)
        raise refused
    _record_ok(channel, account)
    return account


def connect(channel: Channel, credentials: dict) -> Account:
    """Check new credentials and put them, sealed, on an (unsaved or saved) channel instance.

    Side effects: none in the database; the caller saves the instance. Raises the connector's
    error, leaving the instance unchanged, when the network refuses them.
    """
    account = check_channel(channel, credentials)
    channel.set_credentials(credentials)
    channel.handle, channel.account_id = account.handle, account.account_id
    channel.health, channel.health_error = ChannelHealth.OK, ""
    channel.health_checked_at, channel.needs_new_credentials = timezone.now(), False
    return account


def clean_post_url(channel: Channel, url: str) -> str:
    """A link a person gives for a post on this channel: only https links of its network.

    Raises ``ValidationError`` (Spanish) for anything else, ``javascript:`` included. No side
    effect.
    """
    from urllib.parse import urlsplit

    from django.core.exceptions import ValidationError

    url = (url or "").strip()
    connector = get_connector(channel.kind)
    hosts = connector.post_hosts if connector else ()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        parts, port = None, None
    host = (parts.hostname or "").lower() if parts else ""
    if host.startswith("www."):
        host = host[4:]
    if (parts is None or parts.scheme != "https" or host not in hosts or parts.username
            or parts.password or port not in (None, 443) or len(url) > 500
            or any(c.isspace() for c in url)):
        raise ValidationError(_("El enlace debe ser una dirección https de %(red)s (%(hosts)s), "
                                "por ejemplo https://%(host)s/…") % {
            "red": channel.get_kind_display(), "hosts": ", ".join(hosts) or "—",
            "host": hosts[0] if hosts else "…"})
    return url


def check_all() -> int:
    """The periodic check: a token that stops working is flagged before a post fails."""
    checked = 0
    for channel in Channel.objects.usable().exclude(credentials=""):
        try:
            probe(channel)
        except ConnectorError:
            pass
        except Exception:
            log.exception("Checking channel %s failed", channel.pk)
        checked += 1
    return checked
