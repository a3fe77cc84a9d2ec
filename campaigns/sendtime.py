"""The send time of a post: always typed and shown in Mexico City time, never guessed.

Whatever the browser's clock or the user's preferred time zone, the officer types the wall-clock
time of Mexico City and reads it back in words. A text the field cannot read is refused with a
Spanish message; it is never replaced by "now" or by a nearby time.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MEXICO_CITY = ZoneInfo("America/Mexico_City")
DISPLAY_FORMAT = "%d/%m/%Y %H:%M"
# What people type: day first (as in Mexico) or ISO; 24 h, or 12 h with a.m./p.m.
_MERIDIEM = re.compile(r"\s*([ap])\.?\s*m\.?\s*$", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


_DAY_FIRST = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")
_YEAR_FIRST = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")


def parse(text: str) -> datetime | None:
    """The aware Mexico City datetime a person typed, or None when it cannot be read.

    The grammar is the one composer.js reads back in words (the same two patterns, the same
    a. m./p. m. rule), so the words under the field never promise a time the server refuses.
    """
    text = _SPACES.sub(" ", (text or "").strip())
    meridiem = _MERIDIEM.search(text)
    if meridiem:
        text = text[: meridiem.start()].strip()
    if match := _DAY_FIRST.match(text):
        day, month, year = (int(match.group(i)) for i in (1, 2, 3))
    elif match := _YEAR_FIRST.match(text):
        year, month, day = (int(match.group(i)) for i in (1, 2, 3))
    else:
        return None
    hour, minute, second = int(match.group(4)), int(match.group(5)), int(match.group(6) or 0)
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem.group(1).lower() == "p" else 0)
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=MEXICO_CITY)
    except ValueError:
        return None


def display(value: datetime | None) -> str:
    """'26/11/2026 15:30' in Mexico City time ('' for none)."""
    return value.astimezone(MEXICO_CITY).strftime(DISPLAY_FORMAT) if value else ""


def in_words(value: datetime | None) -> str:
    """'Se enviará el jueves 26 de noviembre a las 15:30, hora del centro de México.' (the year
    is said when it is not the current one)."""
    if value is None:
        return _("Se enviará en cuanto se publique.")
    return _("Se enviará el %(fecha)s a las %(hora)s, hora del centro de México.") % day_and_hour(value)


def day_and_hour(value: datetime) -> dict[str, str]:
    """{'fecha': 'jueves 3 de diciembre', 'hora': '10:00'} in Mexico City time (the year is
    said when it is not the current one)."""
    local = value.astimezone(MEXICO_CITY)
    this_year = local.year == datetime.now(MEXICO_CITY).year
    if (translation.get_language() or "es").startswith("es"):
        # Spanish writes weekdays and months in lower case.
        when = formats.date_format(local, r"l j \d\e F" if this_year else r"l j \d\e F \d\e Y").lower()
    else:
        when = formats.date_format(local, "l, F j" if this_year else "l, F j, Y")
    return {"fecha": when, "hora": local.strftime("%H:%M")}


class SendTimeInput(forms.TextInput):
    """A plain text box (no date picker that rewrites what was typed), read by composer.js."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"placeholder": gettext_lazy("dd/mm/aaaa hh:mm"),
                                "autocomplete": "off",
                                "inputmode": "text", "data-enlace-send-time": "", "size": 20,
                                **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime):
            return display(value)
        return super().format_value(value)


class SendTimeField(forms.Field):
    widget = SendTimeInput
    default_error_messages = {
        "invalid": gettext_lazy(
            "No se reconoce «%(value)s» como fecha y hora. Escríbala como dd/mm/aaaa hh:mm en "
            "hora del centro de México, por ejemplo 26/11/2026 15:30 (o 26/11/2026 3:30 p. m.)."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", gettext_lazy(
            "Hora del centro de México, sin importar la zona de su equipo: dd/mm/aaaa hh:mm "
            "(24 horas). Vacío: en cuanto se publique."))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, datetime):
            return value
        if value in self.empty_values or not str(value).strip():
            return None
        parsed = parse(str(value))
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid",
                                        params={"value": str(value)[:60]})
        return parsed

    def prepare_value(self, value):
        return display(value) if isinstance(value, datetime) else value

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != initial
        except forms.ValidationError:
            return True
