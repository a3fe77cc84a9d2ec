"""The fault matrix: each way Telegram and X misbehave, as the officer sees it and as the network
does (how many times it received the post), with the real clients against the fake servers.

The policy, per case: retry only what surely did not post (no connection, a rate limit);
what may have posted is in doubt: X is looked up on the account's timeline (before a retry
too), Telegram cannot be read back by a bot, so its doubt goes to a person as «Incierta»
and is never retried by itself; a refusal that every later post would meet too (token,
permissions, chat) fails once, flags the channel and holds its other posts.
"""

import socket
from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns import delivery
from campaigns.devtools.fake_networks import Fault
from campaigns.enums import ChannelHealth, DeliveryState
from campaigns.models import Channel, Delivery, DeliveryAttempt
from tests.workers import wait_for

from .factories import TG_TOKEN, X_KEYS, publish_post

TELEGRAM_SEND = "sendMessage"
X_SEND = "POST /2/tweets"
# The bot token travels in every Telegram URL; the X keys sign every request.
SECRETS = [TG_TOKEN, *(value for value in X_KEYS.values() if len(value) > 3)]


def _settle(d: Delivery) -> Delivery:
    """What the engine does on its own, in order: the retries the network allows (a pause
    or back-off has run out), the timeline check of a doubtful X post, and, an hour on, the
    sweeper and dispatcher (which must not resend anything in doubt)."""
    for _ in range(4):
        d.refresh_from_db()
        if d.state == DeliveryState.PENDING:
            Channel.objects.filter(pk=d.channel_id).update(paused_until=None)
            Delivery.objects.filter(pk=d.pk).update(next_attempt_at=timezone.now())
            delivery.perform(d.pk)
        elif d.state == DeliveryState.UNCERTAIN and d.channel.kind == "x":
            delivery.verify_uncertain(d.pk)
            break
        else:
            break
    later = timezone.now() + timedelta(hours=1)
    delivery.sweep(later)
    delivery.dispatch(later)
    assert delivery.perform(d.pk) == "skipped"  # nothing in doubt, or done, runs again
    d.refresh_from_db()
    return d


def _no_secret_anywhere(d: Delivery) -> None:
    texts = [d.error, d.channel.health_error, *DeliveryAttempt.objects.filter(
        delivery=d).values_list("detail", flat=True)]
    for text in texts:
        assert not any(secret in (text or "") for secret in SECRETS), text


# (case, fault, state after the first attempt, final state, times the network got the post,
#  words of the officer's message, channel flagged)
TELEGRAM = [
    ("5xx before posting", Fault(status=502), DeliveryState.UNCERTAIN, DeliveryState.UNCERTAIN, 0,
     "error del servidor", False),
    ("5xx after posting", Fault(status=500, do_first=True), DeliveryState.UNCERTAIN,
     DeliveryState.UNCERTAIN, 1, "no se sabe si se publicó", False),
    ("a proxy's 502 page after posting", Fault(status=502, body=b"<html>Bad Gateway</html>",
                                               do_first=True),
     DeliveryState.UNCERTAIN, DeliveryState.UNCERTAIN, 1, "no se sabe si se publicó", False),
    ("connection reset after the request arrived", Fault(drop=True), DeliveryState.UNCERTAIN,
     DeliveryState.UNCERTAIN, 0, "no se sabe si se publicó", False),
    ("answer lost after posting", Fault(lose_answer=True), DeliveryState.UNCERTAIN,
     DeliveryState.UNCERTAIN, 1, "no se sabe si se publicó", False),
    ("a slow answer within the timeout", Fault(delay=0.3), DeliveryState.SENT, DeliveryState.SENT,
     1, "", False),
    ("429 with retry_after", Fault(status=429, retry_after=5), DeliveryState.PENDING,
     DeliveryState.SENT, 1, "", False),
    ("429 without retry_after (a proxy)", Fault(status=429, description="Too Many Requests"),
     DeliveryState.PENDING, DeliveryState.SENT, 1, "", False),
    ("401 revoked token", Fault(status=401), DeliveryState.FAILED, DeliveryState.FAILED, 0,
     "token del bot", True),
    ("403 bot blocked", Fault(status=403, description="Forbidden: bot was blocked by the user"),
     DeliveryState.FAILED, DeliveryState.FAILED, 0, "no tiene permiso para publicar", True),
    ("403 bot kicked", Fault(status=403), DeliveryState.FAILED, DeliveryState.FAILED, 0,
     "no tiene permiso para publicar", True),
    ("400 chat not found", Fault(status=400, description="Bad Request: chat not found"),
     DeliveryState.FAILED, DeliveryState.FAILED, 0, "no encuentra el chat", True),
    ("400 message too long", Fault(status=400, description="Bad Request: message is too long"),
     DeliveryState.FAILED, DeliveryState.FAILED, 0, "demasiado largo", False),
    ("200 whose body is cut short", Fault(garble=True), DeliveryState.UNCERTAIN,
     DeliveryState.UNCERTAIN, 1, "no se pudo leer", False),
    ("200 with an empty body", Fault(status=200, body=b"", do_first=True), DeliveryState.UNCERTAIN,
     DeliveryState.UNCERTAIN, 1, "no se pudo leer", False),
    ("200 JSON without the message", Fault(status=200, body=b'{"ok": true}', do_first=True),
     DeliveryState.UNCERTAIN, DeliveryState.UNCERTAIN, 1, "no se pudo leer", False),
    ("error status with a body that is not JSON", Fault(status=400, body=b"<html>oops</html>"),
     DeliveryState.FAILED, DeliveryState.FAILED, 0, "Telegram rechazó", False),
    ("a proxy's 413 (too large)", Fault(status=413, body=b"<html>413 Request Entity Too Large</html>"),
     DeliveryState.FAILED, DeliveryState.FAILED, 0, "Telegram rechazó", False),
]

X = [
    ("5xx before posting", Fault(status=503), DeliveryState.PENDING, DeliveryState.SENT, 1, "", False),
    ("5xx after posting", Fault(status=503, do_first=True), DeliveryState.PENDING, DeliveryState.SENT,
     1, "", False),
    ("a proxy's 502 page after posting", Fault(status=502, body=b"<html>Bad Gateway</html>",
                                               do_first=True),
     DeliveryState.PENDING, DeliveryState.SENT, 1, "", False),
    ("connection reset after the request arrived", Fault(drop=True), DeliveryState.UNCERTAIN,
     DeliveryState.UNCERTAIN, 0, "no aparece", False),
    ("answer lost after posting", Fault(lose_answer=True), DeliveryState.UNCERTAIN, DeliveryState.SENT,
     1, "", False),
    ("a slow answer within the timeout", Fault(delay=0.3), DeliveryState.SENT, DeliveryState.SENT, 1,
     "", False),
    ("429 with x-rate-limit-reset", Fault(status=429, retry_after=30), DeliveryState.PENDING,
     DeliveryState.SENT, 1, "", False),
    ("24-hour posting cap", Fault(status=429, retry_after=5, daily_reset=3600), DeliveryState.PENDING,
     DeliveryState.SENT, 1, "", False),
    ("401 revoked token", Fault(status=401), DeliveryState.FAILED, DeliveryState.FAILED, 0,
     "rechazó las credenciales", True),
    ("403 app without write permission", Fault(status=403, description=(
        "Your client app is not configured with the appropriate oauth1 app permissions for this "
        "endpoint.")), DeliveryState.FAILED, DeliveryState.FAILED, 0, "permiso", True),
    ("403 not permitted (account locked or read-only)", Fault(
        status=403, description="You are not permitted to perform this action."),
     DeliveryState.FAILED, DeliveryState.FAILED, 0, "permiso", True),
    ("400 text too long", Fault(status=400, description="Your Tweet text is too long."),
     DeliveryState.FAILED, DeliveryState.FAILED, 0, "demasiado largo", False),
    ("201 with an empty body", Fault(status=201, body=b"", do_first=True), DeliveryState.UNCERTAIN,
     DeliveryState.SENT, 1, "", False),
    ("201 whose body is cut short", Fault(garble=True), DeliveryState.UNCERTAIN, DeliveryState.SENT,
     1, "", False),
    ("201 JSON without the post", Fault(status=201, body=b"{}", do_first=True),
     DeliveryState.UNCERTAIN, DeliveryState.SENT, 1, "", False),
]


MATRIX = [("telegram", *row) for row in TELEGRAM] + [("x", *row) for row in X]


@pytest.mark.parametrize("kind,case,fault,first,final,received,words,flagged", MATRIX,
                         ids=[f"{row[0]}: {row[1]}" for row in MATRIX])
def test_fault(kind, case, fault, first, final, received, words, flagged, officer, tg_channel,
               x_channel, fake_telegram, fake_x, settings):
    settings.ENLACE_NETWORK_READ_TIMEOUT = 2
    # X's refusal of duplicate content is no guarantee: the product must not lean on it.
    fake_x.refuse_duplicates = False
    server, channel = (fake_telegram, tg_channel) if kind == "telegram" else (fake_x, x_channel)
    method = TELEGRAM_SEND if kind == "telegram" else X_SEND
    server.script(method, fault)
    if fault.status == 401:  # the token or keys were revoked
        (server.tokens if kind == "telegram" else server.consumer_keys).clear()
    d = publish_post(officer, [channel]).deliveries.get()
    delivery.perform(d.pk)
    assert Delivery.objects.get(pk=d.pk).state == first
    d = _settle(d)
    assert d.state == final, d.error
    assert words in d.error
    assert len(fake_telegram.messages if kind == "telegram" else fake_x.tweets) == received
    d.channel.refresh_from_db()
    assert (d.channel.health == ChannelHealth.FAILING) is flagged
    if flagged:
        assert server.count(method) == 1  # refused once, never again by itself
    if final == DeliveryState.UNCERTAIN:  # a person decides, told what they can do
        assert "Sí salió" in d.error or "Puede reenviarla" in d.error
    _no_secret_anywhere(d)


@pytest.mark.parametrize("kind", ["telegram", "x"])
def test_an_answer_slower_than_the_timeout_after_posting_is_in_doubt_never_resent(
        kind, officer, tg_channel, x_channel, fake_telegram, fake_x, settings):
    settings.ENLACE_NETWORK_READ_TIMEOUT = 0.5
    server, channel = (fake_telegram, tg_channel) if kind == "telegram" else (fake_x, x_channel)
    server.script(TELEGRAM_SEND if kind == "telegram" else X_SEND, Fault(delay=1.5))
    d = publish_post(officer, [channel]).deliveries.get()
    assert delivery.perform(d.pk) == "uncertain"
    posts = fake_telegram.messages if kind == "telegram" else fake_x.tweets
    assert wait_for(lambda: len(posts) == 1, timeout=10)  # the network finished it after all
    d = _settle(d)
    assert d.state == (DeliveryState.UNCERTAIN if kind == "telegram" else DeliveryState.SENT)
    assert len(posts) == 1


def _closed_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


@pytest.mark.parametrize("kind", ["telegram", "x"])
def test_a_network_that_refuses_the_connection_is_retried_and_posts_once(
        kind, officer, tg_channel, x_channel, fake_telegram, fake_x, settings):
    channel = tg_channel if kind == "telegram" else x_channel
    setting = "TELEGRAM_API_BASE_URL" if kind == "telegram" else "X_API_BASE_URL"
    real = getattr(settings, setting)
    setattr(settings, setting, _closed_port())
    d = publish_post(officer, [channel]).deliveries.get()
    assert delivery.perform(d.pk) == "retry"
    d.refresh_from_db()
    assert d.state == DeliveryState.PENDING and "No se pudo conectar" in d.error
    setattr(settings, setting, real)
    d = _settle(d)
    assert d.state == DeliveryState.SENT
    assert len(fake_telegram.messages if kind == "telegram" else fake_x.tweets) == 1


@pytest.mark.parametrize("kind", ["telegram", "x"])
def test_a_channel_whose_credentials_failed_holds_its_other_posts_until_it_works_again(
        kind, officer, tg_channel, x_channel, fake_telegram, fake_x):
    """No storm of refusals (one e-mail and one «Fallida» per post) while a token is revoked:
    the first refusal flags the channel; the posts after it wait, saying why, without
    reaching the network, and go out once the channel passes its check again."""
    from campaigns.channels import probe

    channel = tg_channel if kind == "telegram" else x_channel
    server = fake_telegram if kind == "telegram" else fake_x
    keys = server.tokens if kind == "telegram" else server.consumer_keys
    saved = set(keys)
    keys.clear()
    method = TELEGRAM_SEND if kind == "telegram" else X_SEND
    first = publish_post(officer, [channel], text="Primera").deliveries.get()
    assert delivery.perform(first.pk) == "failed"
    held = [publish_post(officer, [channel], text=f"Siguiente {i}").deliveries.get() for i in range(3)]
    for d in held:
        assert delivery.perform(d.pk) == "skipped"
        d.refresh_from_db()
        assert d.state == DeliveryState.PENDING and d.attempts == 0
        assert d.error.startswith("En pausa: la red rechazó el canal") and "Probar conexión" in d.error
    assert server.count(method) == 1
    assert delivery.dispatch(timezone.now()) == 0  # not enqueued again and again meanwhile
    keys.update(saved)  # the officer renews the token; the periodic check (or «Probar») passes
    probe(Channel.objects.get(pk=channel.pk))
    assert delivery.dispatch(timezone.now()) == 3
    for d in held:
        assert delivery.perform(d.pk) == "sent"
    assert len(fake_telegram.messages if kind == "telegram" else fake_x.tweets) == 3


def test_a_token_that_may_only_read_stays_flagged_until_new_credentials_are_given(
        officer, x_channel, fake_x):
    """X refuses posts from an app that may only read, yet answers «who am I?» as usual. The
    periodic check (and «Probar conexión») cleared the flag, the held posts went out, were
    refused again and e-mailed again, at every check. A token keeps the permissions it was
    issued with: the flag now stays until new credentials are saved."""
    from campaigns.channels import check_all, connect, probe
    from campaigns.connectors import CredentialsError

    read_only = Fault(status=403, description=(
        "Your client app is not configured with the appropriate oauth1 app permissions for this "
        "endpoint."))
    fake_x.script(X_SEND, read_only, times=10)  # every post, while the app may only read
    first = publish_post(officer, [x_channel], text="Primera").deliveries.get()
    assert delivery.perform(first.pk) == "failed"
    held = publish_post(officer, [x_channel], text="Segunda").deliveries.get()
    for check in (lambda: probe(Channel.objects.get(pk=x_channel.pk)), check_all):
        try:
            check()
        except CredentialsError as refused:
            assert "token de acceso nuevo" in refused.message
        channel = Channel.objects.get(pk=x_channel.pk)
        assert channel.health == ChannelHealth.FAILING, check
        assert "permiso para publicar" in channel.health_error
        assert delivery.dispatch(timezone.now()) == 0
        assert delivery.perform(held.pk) == "skipped"
    assert fake_x.count(X_SEND) == 1  # refused once; nothing reached X again

    fake_x.unscript(X_SEND)  # the officer gives the app write permission and makes a new token
    channel = Channel.objects.get(pk=x_channel.pk)
    connect(channel, dict(X_KEYS))
    channel.save()
    assert channel.health == ChannelHealth.OK and not channel.needs_new_credentials
    assert delivery.dispatch(timezone.now()) == 1
    assert delivery.perform(held.pk) == "sent"
    assert [t["text"] for t in fake_x.tweets][-1].startswith("Segunda")
