"""Plain-text rules for what entrants and jurors type."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?][^>]*>|javascript:|\bon[a-z]+\s*=", re.IGNORECASE)


def no_markup(value: str) -> None:
    """Refuse HTML or script in a text field: entries are plain text, shown escaped."""
    if value and _MARKUP.search(value):
        raise ValidationError(
            _("Escriba solo texto: no se admiten etiquetas HTML ni código (por ejemplo <script>)."),
            code="markup",
        )
