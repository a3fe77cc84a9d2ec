"""States of publications as enums (labels in Spanish)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verdict(models.TextChoices):
    """What one member of the Comité Editorial recommends for an article."""

    APPROVE = "aprobar", _("Aprobar")
    CHANGES = "cambios", _("Solicitar cambios")
    REJECT = "rechazar", _("Rechazar")


class Outcome(models.TextChoices):
    """What the committee decides when it does not approve."""

    CHANGES = "cambios", _("Devolver para cambios")
    REJECTED = "rechazado", _("Rechazar")
