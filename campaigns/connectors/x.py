"""X accounts through tweepy's v2 ``Client`` with OAuth 1.0a user context.

tweepy talks to a fixed host and sets no timeouts; the session below sends every call,
media upload included, to ``X_API_BASE_URL`` with explicit connect and read timeouts, and the
client never sleeps on a rate limit (``wait_on_rate_limit=False``): the delivery engine
reschedules instead. Images use X's v2 media upload (``POST /2/media/upload``), which tweepy
4.17 does not wrap.
"""

from __future__ import annotations

import email.utils
import html
import time
from datetime import timedelta

import requests
import tweepy
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from requests_oauthlib import OAuth1

from . import (
    Aborted,
    Account,
    Connector,
    CredentialField,
    CredentialsError,
    DuplicateError,
    MaybeSentError,
    Metrics,
    PermanentError,
    Published,
    RetryableError,
    WriteRefusedError,
    same_text,
)

_TWEEPY_HOSTS = ("https://api.twitter.com", "https://api.x.com")
# Pages of 100 read back when looking for a post in doubt: the 3,200 an X timeline keeps.
TIMELINE_PAGES = 32


class XSession(requests.Session):
    """Rewrites tweepy's fixed host to the configured base URL and adds timeouts."""

    def __init__(self):
        super().__init__()
        self.base_url = settings.X_API_BASE_URL.rstrip("/")
        self.timeout = (settings.ENLACE_NETWORK_CONNECT_TIMEOUT, settings.ENLACE_NETWORK_READ_TIMEOUT)

    def request(self, method, url, *args, **kwargs):
        for host in _TWEEPY_HOSTS:
            if url.startswith(host):
                url = self.base_url + url[len(host):]
                break
        kwargs.setdefault("timeout", self.timeout)
        return super().request(method, url, *args, **kwargs)


def _client(credentials: dict) -> tweepy.Client:
    client = tweepy.Client(
        consumer_key=credentials.get("consumer_key"),
        consumer_secret=credentials.get("consumer_secret"),
        access_token=credentials.get("access_token"),
        access_token_secret=credentials.get("access_token_secret"),
        wait_on_rate_limit=False,
    )
    client.session = XSession()
    return client


def _retry_after(response) -> float | None:
    headers = getattr(response, "headers", {}) or {}
    if headers.get("retry-after"):
        value = headers["retry-after"]
        try:
            return max(0.0, float(value))
        except ValueError:
            parsed = email.utils.parsedate_to_datetime(value)
            return max(0.0, parsed.timestamp() - time.time())
    if headers.get("x-rate-limit-reset"):
        try:
            return max(0.0, int(headers["x-rate-limit-reset"]) - time.time())
        except ValueError:
            return None
    return None


def _daily_reset(response) -> float | None:
    """Seconds until the account's (or the app's) 24-hour posting cap resets, when a 429 came
    from that cap: its 15-minute window may reset much sooner, and retrying then only spends
    attempts until the day is over."""
    headers = getattr(response, "headers", {}) or {}
    waits = []
    for scope in ("user", "app"):
        if headers.get(f"x-{scope}-limit-24hour-remaining") == "0":
            try:
                waits.append(int(headers[f"x-{scope}-limit-24hour-reset"]) - time.time())
            except (KeyError, ValueError):
                continue
    return max(0.0, *waits) if waits else None


def _detail(exc: tweepy.HTTPException) -> str:
    """X's own words: the messages of its answer (the errors' texts, or its detail), once each.
    The error objects themselves are data for programs, not for the officer who reads this."""
    messages = [str(m) for m in getattr(exc, "api_messages", []) or [] if m]
    return "; ".join(dict.fromkeys(messages)) or str(exc)


# X's words for a 403 that every post of the account would meet. The app may only read, or is
# not allowed on this endpoint: a token keeps the permissions it was issued with, so only a new
# one helps. Or the account is suspended or locked, which X may lift.
_APP_REFUSALS = ("oauth1 app permissions", "client-forbidden", "client app")
_ACCOUNT_REFUSALS = ("not permitted to perform this action", "suspended", "locked")


def _unreadable() -> str:
    return _("X respondió con algo que no se pudo leer después de recibir la solicitud; no se sabe "
             "si se publicó.")


def _translate(exc: Exception) -> Exception:
    if isinstance(exc, tweepy.TooManyRequests):
        daily = _daily_reset(exc.response)
        if daily is not None:
            when = timezone.localtime(timezone.now() + timedelta(seconds=daily))
            return RetryableError(
                _("La cuenta alcanzó su límite diario de publicaciones en X; se reintentará "
                  "cuando X lo restablezca, el %(date)s a las %(time)s.")
                % {"date": when.strftime("%d/%m/%Y"), "time": when.strftime("%H:%M")},
                _detail(exc), retry_after=daily, rate_limited=True,
                reason=_("La cuenta alcanzó su límite diario de publicaciones en X."))
        wait = _retry_after(exc.response)
        return RetryableError(_("X indicó que se alcanzó el límite de publicaciones; se reintentará "
                                "cuando lo permita."), _detail(exc), retry_after=wait,
                              rate_limited=True,
                              reason=_("X indicó que se alcanzó el límite de publicaciones."))
    if isinstance(exc, tweepy.TwitterServerError):
        # X may have made the post before answering the error: a retry looks at the account
        # first (``in_doubt``), since X's refusal of duplicate content is no guarantee.
        return RetryableError(_("X respondió con un error del servidor; se reintentará."), _detail(exc),
                              reason=_("X respondió con un error del servidor."), in_doubt=True)
    if isinstance(exc, tweepy.Unauthorized):
        return CredentialsError(_("X rechazó las credenciales (401): las claves son incorrectas o el "
                                  "token de acceso fue revocado. Genérelas de nuevo y actualice el "
                                  "canal."), _detail(exc))
    if isinstance(exc, tweepy.Forbidden) and "duplicate content" in _detail(exc).lower():
        return DuplicateError(_("X rechazó la publicación porque la cuenta ya publicó ese mismo texto "
                                "(X no permite repetirlo): cambie el texto y vuelva a enviarla."),
                              _detail(exc))
    if isinstance(exc, tweepy.Forbidden) and any(
            words in _detail(exc).lower() for words in _APP_REFUSALS):
        return WriteRefusedError(_("X no permite publicar con este token (403): la app no tiene "
                                   "permiso de lectura y escritura. Actívelo en el portal de "
                                   "desarrolladores de X, genere un token de acceso nuevo (el "
                                   "actual conserva el permiso de solo lectura) y actualice el "
                                   "canal."), _detail(exc))
    if isinstance(exc, tweepy.Forbidden) and any(
            words in _detail(exc).lower() for words in _ACCOUNT_REFUSALS):
        return CredentialsError(_("X no permite publicar con esta cuenta (403): la app no tiene "
                                  "permiso de lectura y escritura, o la cuenta está suspendida o "
                                  "bloqueada. Revise la app en el portal de desarrolladores de X, "
                                  "genere de nuevo el token de acceso y actualice el canal."),
                                _detail(exc))
    if isinstance(exc, tweepy.BadRequest) and "too long" in _detail(exc).lower():
        return PermanentError(_("X rechazó la publicación porque el texto es demasiado largo: admite "
                                "280 caracteres (cada enlace cuenta 23). Acorte el texto (o la "
                                "variante de este canal) y vuelva a enviarla."), _detail(exc))
    if isinstance(exc, tweepy.Forbidden):
        return PermanentError(_("X no permitió la publicación (403): %(d)s") % {"d": _detail(exc)},
                              _detail(exc))
    if isinstance(exc, tweepy.HTTPException):
        return PermanentError(_("X rechazó la solicitud: %(d)s") % {"d": _detail(exc)}, _detail(exc))
    if isinstance(exc, requests.ConnectTimeout) or (
            isinstance(exc, requests.ConnectionError) and not isinstance(exc, requests.ReadTimeout)
            and "NewConnectionError" in repr(exc)):
        return RetryableError(_("No se pudo conectar con X; se reintentará."), repr(exc),
                              reason=_("No se pudo conectar con X."))
    if isinstance(exc, requests.JSONDecodeError):  # a 2xx answer that is not JSON
        return MaybeSentError(_unreadable(), repr(exc))
    if isinstance(exc, requests.RequestException):
        return MaybeSentError(_("Se perdió la conexión con X después de enviar la solicitud; no se "
                                "sabe si se publicó."), repr(exc))
    return PermanentError(_("Error de X: %(d)s") % {"d": exc}, repr(exc))


def _raise_for_status(response) -> None:
    code = response.status_code
    if 200 <= code < 300:
        return
    error = {400: tweepy.BadRequest, 401: tweepy.Unauthorized, 403: tweepy.Forbidden,
             404: tweepy.NotFound, 429: tweepy.TooManyRequests}.get(code)
    if error is None:
        error = tweepy.TwitterServerError if code >= 500 else tweepy.HTTPException
    raise error(response)


class XConnector(Connector):
    def check(self, channel, credentials: dict) -> Account:
        try:
            me = _client(credentials).get_me(user_auth=True)
        except (tweepy.TweepyException, requests.RequestException) as exc:
            raise _translate(exc) from exc
        return Account(handle=f"@{me.data['username']}", account_id=str(me.data["id"]))

    def upload_media(self, client: tweepy.Client, image) -> str:
        auth = OAuth1(client.consumer_key, client.consumer_secret, client.access_token,
                      client.access_token_secret)
        response = client.session.post(
            "https://api.x.com/2/media/upload",
            files={"media": (image.name, image.data, image.mime)},
            data={"media_category": "tweet_image", "media_type": image.mime},
            auth=auth, timeout=(settings.ENLACE_NETWORK_CONNECT_TIMEOUT,
                                settings.ENLACE_NETWORK_MEDIA_TIMEOUT),
        )
        with response:
            _raise_for_status(response)
            return str(response.json()["data"]["id"])

    def publish(self, channel, text, images, before_send, reply_to=None) -> Published:
        client = _client(channel.get_credentials())
        try:
            # Media first: an upload that fails leaves nothing published, so it is safe to retry.
            media_ids = [self.upload_media(client, image) for image in images]
        except (tweepy.TweepyException, requests.RequestException) as exc:
            translated = _translate(exc)
            if isinstance(translated, MaybeSentError):  # an orphan upload publishes nothing
                translated = RetryableError(translated.message, translated.detail)
            if isinstance(translated, RetryableError):
                translated.in_doubt = False
            raise translated from exc
        if not before_send():
            raise Aborted
        try:
            response = client.create_tweet(text=text, media_ids=media_ids or None,
                                           in_reply_to_tweet_id=reply_to, user_auth=True)
        except (tweepy.TweepyException, requests.RequestException) as exc:
            raise _translate(exc) from exc
        try:
            tweet_id = str(response.data["id"])
        except (KeyError, TypeError) as exc:  # a 2xx answer in JSON, without the post
            raise MaybeSentError(_unreadable(), f"{type(exc).__name__}: {exc}") from exc
        handle = (channel.handle or "").split(" ")[0].lstrip("@") or "i"
        return Published(tweet_id, f"https://x.com/{handle}/status/{tweet_id}")

    def find_published(self, channel, text: str, since) -> Published | None:
        """Read the account's posts since ``since`` (``GET /2/users/:id/tweets``) for this text.

        X answers 100 posts a page, newest first: every page back to ``since`` is read (up to
        the 3,200 posts the timeline keeps), since a busy account may have published more than
        a page after the post in doubt, and missing it would send it a second time.
        """
        client = _client(channel.get_credentials())
        token = None
        try:
            account_id = channel.account_id or str(client.get_me(user_auth=True).data["id"])
            for _page in range(TIMELINE_PAGES):
                response = client.get_users_tweets(
                    account_id, max_results=100, start_time=since, pagination_token=token,
                    tweet_fields=["created_at"], user_auth=True)
                for tweet in response.data or []:
                    # X gives texts back with &, < and > as HTML entities.
                    if same_text(html.unescape(tweet.text), text):
                        handle = (channel.handle or "").split(" ")[0].lstrip("@") or "i"
                        return Published(str(tweet.id), f"https://x.com/{handle}/status/{tweet.id}")
                token = (response.meta or {}).get("next_token")
                if not token:
                    return None
        except (tweepy.TweepyException, requests.RequestException) as exc:
            raise _translate(exc) from exc
        # More posts since then than X keeps on a timeline: it cannot be told from here.
        raise RetryableError(_("X no permite revisar tantas publicaciones recientes de la cuenta; "
                               "revise el canal."), "timeline longer than the pages read")

    def metrics(self, channel, external_ids: list[str]) -> dict[str, Metrics]:
        client = _client(channel.get_credentials())
        found: dict[str, Metrics] = {}
        for start in range(0, len(external_ids), 100):
            batch = external_ids[start:start + 100]
            try:
                response = client.get_tweets(ids=batch, tweet_fields=["public_metrics"], user_auth=True)
            except (tweepy.TweepyException, requests.RequestException) as exc:
                raise _translate(exc) from exc
            for tweet in response.data or []:
                public = tweet.public_metrics or {}
                found[str(tweet.id)] = Metrics(
                    likes=public.get("like_count", 0),
                    reposts=public.get("retweet_count", 0) + public.get("quote_count", 0),
                    replies=public.get("reply_count", 0),
                    impressions=public.get("impression_count", 0),
                )
        return found


CONNECTOR = XConnector(
    kind="x",
    credential_fields=[
        CredentialField("consumer_key", gettext_lazy("API Key (X)")),
        CredentialField("consumer_secret", gettext_lazy("API Key Secret (X)")),
        CredentialField("access_token", gettext_lazy("Access Token (X)")),
        CredentialField("access_token_secret", gettext_lazy("Access Token Secret (X)")),
    ],
    credentials_heading=gettext_lazy("Credenciales de X (OAuth 1.0a, contexto de usuario)"),
    supports_metrics=True,
    post_hosts=("x.com", "twitter.com"),
    can_look_up=True,
)
