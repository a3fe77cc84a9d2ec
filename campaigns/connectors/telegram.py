"""Telegram channels and groups, through python-telegram-bot (asyncio) and the Bot API.

Text goes in HTML parse mode (MarkdownV2 would need every ``#``, ``.``, ``(`` and ``!``
escaped). Error classes matter: in python-telegram-bot ``BadRequest`` is a subclass of
``NetworkError``, so permanent errors are matched before network faults.
"""

from __future__ import annotations

import os

# Opt in to timedelta values (RetryAfter.retry_after) and avoid the deprecation warning.
os.environ.setdefault("PTB_TIMEDELTA", "true")

import httpx  # noqa: E402
from django.conf import settings  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from django.utils.translation import gettext_lazy  # noqa: E402
from telegram import Bot, InputMediaPhoto  # noqa: E402
from telegram.constants import ParseMode  # noqa: E402
from telegram.error import (  # noqa: E402
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.request import HTTPXRequest  # noqa: E402

from ..text import telegram_html  # noqa: E402
from . import (  # noqa: E402
    Aborted,
    Account,
    Connector,
    CredentialField,
    CredentialsError,
    MaybeSentError,
    PermanentError,
    Published,
    RetryableError,
    _sync,
)

# httpx errors raised before any byte of the request reached the server.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


_TLS = None


def _unreadable() -> str:
    return _("Telegram respondió con algo que no se pudo leer después de recibir la solicitud; no "
             "se sabe si se publicó.")


def _tls():
    """One TLS context per process: building one per request costs tens of milliseconds."""
    global _TLS
    if _TLS is None:
        import ssl

        import certifi

        _TLS = ssl.create_default_context(cafile=certifi.where())
    return _TLS


class _Request(HTTPXRequest):
    """Keeps the HTTP status of the last answer: python-telegram-bot raises the same
    ``NetworkError`` for a 5xx, a 429 without ``retry_after`` (a proxy's) and a broken
    connection, and what the engine may do differs (a 5xx may come after the post was made)."""

    status: int | None = None

    async def do_request(self, *args, **kwargs):
        self.status = None
        status, payload = await super().do_request(*args, **kwargs)
        self.status = status
        return status, payload


def _request() -> HTTPXRequest:
    return _Request(
        httpx_kwargs={"verify": _tls()},
        connect_timeout=settings.ENLACE_NETWORK_CONNECT_TIMEOUT,
        read_timeout=settings.ENLACE_NETWORK_READ_TIMEOUT,
        write_timeout=settings.ENLACE_NETWORK_READ_TIMEOUT,
        media_write_timeout=settings.ENLACE_NETWORK_MEDIA_TIMEOUT,
        pool_timeout=1.0,
    )


def _bot(token: str) -> Bot:
    base = settings.TELEGRAM_API_BASE_URL.rstrip("/")
    # Enlace never polls for updates: both request slots share one HTTP client.
    request = _request()
    return Bot(token, base_url=f"{base}/bot", base_file_url=f"{base}/file/bot",
               request=request, get_updates_request=request)


def _translate(exc: TelegramError, *, chat_id: str = "", status: int | None = None,
               publishing: bool = False) -> Exception:
    """The engine's error for ``exc``. ``status``: the HTTP status Telegram (or a proxy before
    it) answered, if any; ``publishing``: the request asked to post, so an answer that does
    not say "not done" leaves the post in doubt (a bot cannot read the chat back to check)."""
    detail = str(exc)
    if isinstance(exc, RetryAfter):
        seconds = exc.retry_after.total_seconds()
        return RetryableError(
            _("Telegram pidió esperar %(s)s s antes de volver a enviar (límite de frecuencia).")
            % {"s": int(seconds)}, detail, retry_after=seconds, rate_limited=True)
    if isinstance(exc, InvalidToken):
        return CredentialsError(_("Telegram rechazó el token del bot: no es válido o fue revocado. "
                                  "Genere uno nuevo con @BotFather y actualice el canal."), detail)
    if isinstance(exc, Forbidden):
        return CredentialsError(_("El bot no tiene permiso para publicar en «%(chat)s»: agréguelo "
                                  "como administrador del canal o grupo.") % {"chat": chat_id}, detail)
    if isinstance(exc, ChatMigrated):
        # Nothing was sent, and every later post to the old id fails the same way: the channel
        # is flagged like one whose token fails, so its officers fix it before the next post.
        return CredentialsError(_("El grupo cambió de identificador; use el nuevo chat id "
                                "%(id)s en el canal.") % {"id": exc.new_chat_id}, detail)
    if isinstance(exc, BadRequest):
        if "chat not found" in detail.lower():
            # A wrong chat id, or a chat deleted or left: every post to it fails the same way.
            return CredentialsError(_("Telegram no encuentra el chat «%(chat)s»; revise el chat id y "
                                    "que el bot sea miembro.") % {"chat": chat_id}, detail)
        if "too long" in detail.lower():  # "message is too long", "message caption is too long"
            return PermanentError(_("Telegram rechazó el mensaje porque es demasiado largo: admite "
                                    "4096 caracteres, o 1024 como pie de una o más imágenes. Acorte "
                                    "el texto (o la variante de este canal) y vuelva a enviarlo."),
                                  detail)
        return PermanentError(_("Telegram rechazó el mensaje: %(d)s") % {"d": detail}, detail)
    if type(exc) is TelegramError and isinstance(exc.__cause__, ValueError):
        # python-telegram-bot raises the bare TelegramError("Invalid server response") when a
        # successful (2xx) answer is not JSON: Telegram did what was asked and the answer was
        # garbled (an error answer that is not JSON comes as NetworkError, BadRequest…).
        return MaybeSentError(_unreadable(), detail)
    if isinstance(exc, TimedOut | NetworkError):
        cause = exc.__cause__
        if isinstance(cause, _NOT_SENT):
            return RetryableError(_("No se pudo conectar con Telegram; se reintentará."), detail,
                                  reason=_("No se pudo conectar con Telegram."))
        if status == 429:  # a rate limit without Telegram's retry_after (a proxy's): not done
            return RetryableError(_("Telegram pidió esperar antes de volver a enviar (límite de "
                                    "frecuencia); se reintentará."), detail, rate_limited=True,
                                  reason=_("Telegram pidió esperar (límite de frecuencia)."))
        if status is not None and publishing:
            # A server error (5xx, or any other answer that is no refusal) may come after
            # Telegram posted: retrying would post it twice, and a bot cannot look.
            return MaybeSentError(_("Telegram respondió con un error del servidor (%(code)s) después "
                                    "de recibir la solicitud; no se sabe si se publicó.")
                                  % {"code": status}, detail)
        if cause is None or not isinstance(cause, httpx.HTTPError):
            # A server error to a request that publishes nothing (getMe, getChat).
            return RetryableError(_("Telegram respondió con un error del servidor; se reintentará."),
                                  detail, reason=_("Telegram respondió con un error del servidor."))
        return MaybeSentError(_("Se perdió la conexión con Telegram después de enviar la solicitud; "
                                "no se sabe si se publicó."), f"{type(cause).__name__}: {detail}")
    return PermanentError(_("Error de Telegram: %(d)s") % {"d": detail}, detail)


def _message_url(chat_id: str, message) -> str:
    username = getattr(message.chat, "username", None)
    if username:
        return f"https://t.me/{username}/{message.message_id}"
    if chat_id.startswith("@"):
        return f"https://t.me/{chat_id[1:]}/{message.message_id}"
    if chat_id.startswith("-100"):
        return f"https://t.me/c/{chat_id[4:]}/{message.message_id}"
    return ""


class TelegramConnector(Connector):
    def check(self, channel, credentials: dict) -> Account:
        token = credentials.get("bot_token", "")

        async def go():
            async with _bot(token) as bot:  # initialize() calls getMe
                title = ""
                if channel.chat_id:  # the bot must see the chat; its title is a courtesy
                    try:
                        chat = await bot.get_chat(channel.chat_id)
                        title = chat.title or chat.username or ""
                    except TelegramError:
                        raise
                    except Exception:  # a Bot API newer or older than this library
                        title = ""
                return Account(handle=f"@{bot.username}" + (f" → {title}" if title else ""),
                               account_id=str(bot.id))

        try:
            return _sync.run(go)
        except TelegramError as exc:
            raise _translate(exc, chat_id=channel.chat_id) from exc

    def publish(self, channel, text, images, before_send, reply_to=None) -> Published:
        # Telegram gets a thread as one message (campaigns.text): ``reply_to`` is never set.
        token = channel.get_credentials().get("bot_token", "")
        chat_id = channel.chat_id
        body = telegram_html(text)

        async def go():
            # No getMe here: a bad token is reported by the send itself (InvalidToken), and
            # the periodic check and "probar conexión" verify it ahead of time.
            bot = _bot(token)
            try:
                if not await _sync.call_back(before_send)():
                    raise Aborted
                return await send(bot)
            except TelegramError as exc:
                raise _translate(exc, chat_id=chat_id, status=bot.request.status,
                                 publishing=True) from exc
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                # A 2xx answer in JSON but without the message (``{"ok": true}``): Telegram
                # did what was asked, and what it answered cannot be read.
                if bot.request.status is None:  # no answer came: not this case
                    raise
                raise MaybeSentError(_unreadable(), f"{type(exc).__name__}: {exc}") from exc
            finally:
                await bot.request.shutdown()

        async def send(bot):
            if not images:
                message = await bot.send_message(chat_id, body, parse_mode=ParseMode.HTML)
            elif len(images) == 1:
                message = await bot.send_photo(
                    chat_id, images[0].data, caption=body, parse_mode=ParseMode.HTML,
                    filename=images[0].name)
            else:
                media = [InputMediaPhoto(img.data, filename=img.name,
                                         caption=body if i == 0 else None,
                                         parse_mode=ParseMode.HTML if i == 0 else None)
                         for i, img in enumerate(images)]
                message = (await bot.send_media_group(chat_id, media))[0]
            return Published(str(message.message_id), _message_url(chat_id, message))

        return _sync.run(go)


CONNECTOR = TelegramConnector(
    kind="telegram",
    credential_fields=[CredentialField("bot_token", gettext_lazy("Token del bot (Telegram, de @BotFather)"))],
    credentials_heading=gettext_lazy("Credenciales de Telegram"),
    needs_chat_id=True,
    post_hosts=("t.me",),
)
