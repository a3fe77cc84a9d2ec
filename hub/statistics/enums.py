from django.db import models
from django.utils.translation import gettext_lazy as _


class FigureKind(models.TextChoices):
    INTEGER = "entero", _("número entero")
    DECIMAL = "decimal", _("número decimal")


class ReportSource(models.TextChoices):
    ADMIN = "captura", _("captura en el administrador")
    UPLOAD = "archivo", _("carga de archivo")
