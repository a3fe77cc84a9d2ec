from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


class ChannelKind(models.TextChoices):
    TELEGRAM = "telegram", "Telegram"
    X = "x", "X"
    # Room for more networks behind the same connector interface (campaigns.connectors).
    MASTODON = "mastodon", "Mastodon"
    BLUESKY = "bluesky", "Bluesky"
    FACEBOOK = "facebook", _("Página de Facebook")


class ChannelHealth(models.TextChoices):
    UNCHECKED = "sin-probar", _("Sin probar")
    OK = "ok", _("Funciona")
    FAILING = "falla", _("Credenciales con fallas")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pendiente")
    SENDING = "sending", _("Enviando")
    SENT = "sent", _("Enviada")
    FAILED = "failed", _("Fallida")
    UNCERTAIN = "uncertain", _("Incierta")
    CANCELLED = "cancelled", _("Cancelada")

    @classmethod
    def counted(cls, state: str, n: int) -> str:
        """«1 pendiente», «2 enviadas»: a number of deliveries in one state, in agreement."""
        return _COUNTED[state] % {"n": n}


_COUNTED = {
    DeliveryState.PENDING: ngettext_lazy("%(n)s pendiente", "%(n)s pendientes", "n"),
    DeliveryState.SENDING: ngettext_lazy("%(n)s enviándose", "%(n)s enviándose", "n"),
    DeliveryState.SENT: ngettext_lazy("%(n)s enviada", "%(n)s enviadas", "n"),
    DeliveryState.FAILED: ngettext_lazy("%(n)s fallida", "%(n)s fallidas", "n"),
    DeliveryState.UNCERTAIN: ngettext_lazy("%(n)s incierta", "%(n)s inciertas", "n"),
    DeliveryState.CANCELLED: ngettext_lazy("%(n)s cancelada", "%(n)s canceladas", "n"),
}


class AmplificationAction(models.TextChoices):
    LIKE = "like", _("Me gusta")
    REPOST = "repost", _("Republicar")
    OPEN = "open", _("Abrir la publicación")


class AttemptOutcome(models.TextChoices):
    """What one step of a delivery's log recorded (``DeliveryAttempt.outcome``)."""

    SENT = "sent", _("Enviada")
    RETRY = "retry", _("Se reintentará")
    # The network answered an error it may give after posting: the account is looked at first.
    RETRY_CHECK = "retry-check", _("Se reintentará tras revisar la cuenta")
    FAILED = "failed", _("Falló")
    UNCERTAIN = "uncertain", _("Sin confirmar")
    FOUND = "found", _("Encontrada en la red")
    NOT_FOUND = "not-found", _("No aparece en la red")
    CHECK_FAILED = "check-failed", _("No se pudo revisar la red")
    ABORTED = "aborted", _("No se envió: otro proceso la tomó")
    RESEND = "resend", _("Reenvío pedido")
    CONFIRMED = "confirmed", _("Confirmada por una persona")
    CANCELLED = "cancelled", _("Descartada")


class DeliveryPurpose(models.TextChoices):
    """Why a delivery exists: the post itself, or the request to the network to amplify it."""

    PUBLICATION = "publication", _("Publicación")
    AMPLIFICATION = "amplification", _("Aviso a la Red para amplificar")


class Weekday(models.IntegerChoices):
    """Days of a posting schedule, Monday first (Python's ``date.weekday()``)."""

    MONDAY = 0, _("lunes")
    TUESDAY = 1, _("martes")
    WEDNESDAY = 2, _("miércoles")
    THURSDAY = 3, _("jueves")
    FRIDAY = 4, _("viernes")
    SATURDAY = 5, _("sábado")
    SUNDAY = 6, _("domingo")
