"""Plain-text rules for what entrants and jurors type."""

import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?][^>]*>|javascript:|\bon[a-z]+\s*=", re.IGNORECASE)


def no_markup(value: str) -> None:
    """Refuse HTML or script in a text field: entries are plain text, shown escaped."""
    if value and _MARKUP.search(value):
        raise ValidationError(
            _("Escriba solo texto: no se admiten etiquetas HTML ni código (por ejemplo <script>)."),
            code="markup",
        )


def local_time(moment, *, seconds: bool = False) -> str:
    """A moment as people in the contests read it: Mexico City time, dd/mm/yyyy hh:mm[:ss]."""
    if moment is None:
        return ""
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M:%S" if seconds else "%d/%m/%Y %H:%M")
