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
    return any(c.is_snt for c in channels) and not rules.is_coordinator(user)


def validate_post(*, user, text: str, link: str, tags, channels, variants: dict, image_count: int,
                  publish_at, hashtag: str, allowed=None) -> dict[str, list[str]]:
    """Returns errors per field ('text', 'channels', 'publish_at', 'images', 'variants').

    ``allowed``: the ids of the channels ``user`` may target, when the caller has just read
    them (the API takes the channels from that scope); read here otherwise."""
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    channels = list(channels)
    if allowed is None:
        allowed = set(Channel.objects.for_user(user).values_list("pk", flat=True))
    if not channels:
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
        composed = texts.compose(base, link=link, tags=tags, system_hashtag=hashtag)
        fit = texts.measure(channel.kind, composed, has_images=image_count > 0)
        if fit and fit.overflow:
            field = "variants" if channel.pk in variants else "text"
            add(field, texts.overflow_message(channel, fit, has_images=image_count > 0))
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
