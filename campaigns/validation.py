"""The rules a post must meet before it can be scheduled, shared by the admin and the API.

Every message is in Spanish and says what to change; nothing is saved when one applies.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from network import rules

from . import text as texts
from .enums import ChannelHealth, ChannelKind
from .models import MAX_IMAGES, Channel

# A send time this far in the past is still "now" (the form took a while to fill in).
PAST_TOLERANCE = timedelta(minutes=2)
# Posts are scheduled at most this far ahead (a typo such as 9999 never becomes a date).
MAX_AHEAD = timedelta(days=5 * 366)
# The largest id a database row can have (64-bit signed integers).
MAX_ID = 2 ** 63 - 1


def too_far_ahead_message() -> str:
    return _("La fecha de envío está demasiado lejos: programe publicaciones como máximo cinco años "
             "adelante (hora del centro de México).")


def needs_approval(channels, user) -> bool:
    """Posts to SNT-wide channels go out only after Coordinación approves them."""
    return snt_approval_needed(any(c.is_snt for c in channels), user)


def snt_approval_needed(on_snt_channel: bool, user) -> bool:
    """:func:`needs_approval` when the caller already knows whether an SNT channel is among
    the post's channels (the calendar reads that for all its posts at once)."""
    return on_snt_channel and not rules.is_coordinator(user)


def validate_post(*, user, text: str, link: str, tags, channels, variants: dict, image_count: int,
                  publish_at, hashtag: str, allowed=None, utm=None,
                  lengths: bool = True, require_channels: bool = True) -> dict[str, list[str]]:
    """Returns errors per field ('text', 'channels', 'publish_at', 'images', 'variants').

    ``allowed``: the ids of the channels ``user`` may target, when the caller has just read
    them (the API takes the channels from that scope); read here otherwise. ``utm``: a
    function of the network giving its :class:`campaigns.text.Utm` (or None), so that lengths
    are measured on the text as sent. ``lengths=False`` (the preview) leaves out the length
    rules, and ``require_channels=False`` lets it show a post before any channel is chosen:
    an officer sees by how much a text is too long instead of no preview at all."""
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    channels = list(channels)
    if allowed is None:
        allowed = set(Channel.objects.for_user(user).values_list("pk", flat=True))
    if not channels and require_channels:
        add("channels", _("Elija al menos un canal."))
    for channel in channels:
        if channel.pk not in allowed:
            add("channels", _("No puede publicar en «%(c)s»: pertenece a otra institución.")
                % {"c": channel.name})
        elif not channel.active:
            add("channels", _("El canal «%(c)s» está desactivado.") % {"c": channel.name})
        elif channel.health == ChannelHealth.FAILING:
            add("channels", _("Las credenciales del canal «%(c)s» fallan (%(e)s). Actualícelas antes "
                              "de programar.") % {"c": channel.name, "e": channel.health_error})
        elif not channel.has_credentials:
            add("channels", _("El canal «%(c)s» no tiene credenciales.") % {"c": channel.name})
    if not (text or "").strip() and not any((v or "").strip() for v in variants.values()):
        add("text", _("Escriba el texto de la publicación."))
    if image_count > MAX_IMAGES:
        add("images", _("Una publicación admite como máximo %(n)s imágenes; tiene %(m)s.")
            % {"n": MAX_IMAGES, "m": image_count})
    if publish_at and publish_at < timezone.now() - PAST_TOLERANCE:
        add("publish_at", _("La fecha de envío (%(when)s) ya pasó. Elija una hora futura (hora del "
                            "centro de México) o deje el campo vacío para enviar al publicar.")
            % {"when": date_format(timezone.localtime(publish_at), "DATETIME_FORMAT")})
    if publish_at and publish_at > timezone.now() + MAX_AHEAD:
        add("publish_at", too_far_ahead_message())
    if errors.get("channels") or errors.get("text"):
        return errors

    x_texts: dict[str, str] = {}
    for channel in channels:
        base = variants.get(channel.pk) or text
        if not base.strip():
            add("text", _("Falta el texto para «%(c)s».") % {"c": channel.name})
            continue
        parts = texts.compose_parts(base, kind=channel.kind, link=link, tags=tags,
                                    system_hashtag=hashtag, utm=utm(channel.kind) if utm else None)
        composed = texts.THREAD_JOIN.join(parts)
        field = "variants" if channel.pk in variants else "text"
        if lengths:
            for message in _length_errors(channel, parts, has_images=image_count > 0):
                add(field, message)
        if channel.kind == ChannelKind.X:
            other = x_texts.get(composed)
            if other:
                add("channels", _("X prohíbe publicar el mismo texto en varias cuentas («%(a)s» y "
                                  "«%(b)s»). Escriba una variante distinta para cada cuenta de X o "
                                  "elija una sola; las demás instituciones pueden republicarla "
                                  "desde la solicitud de amplificación.")
                    % {"a": other, "b": channel.name})
            x_texts[composed] = channel.name
    return errors


def _length_errors(channel, parts: list[str], *, has_images: bool) -> list[str]:
    """One message per part that is too long (and one for a thread with too many parts)."""
    messages = []
    if len(parts) > texts.X_THREAD_MAX_PARTS:
        messages.append(_("El hilo para %(channel)s tiene %(n)s partes; el máximo es %(max)s.")
                        % {"channel": channel.name, "n": len(parts), "max": texts.X_THREAD_MAX_PARTS})
    for number, part in enumerate(parts, start=1):
        fit = texts.measure(channel.kind, part, has_images=has_images and number == 1)
        if not (fit and fit.overflow):
            continue
        if len(parts) == 1:
            messages.append(texts.overflow_message(channel, fit, has_images=has_images))
        else:
            messages.append(_("La parte %(n)s de %(total)s del hilo para %(channel)s excede el límite "
                              "de X (%(limit)s caracteres ponderados; cada enlace cuenta 23) por "
                              "%(over)s.") % {"n": number, "total": len(parts), "channel": channel.name,
                                              "limit": fit.limit, "over": fit.overflow})
    return messages
