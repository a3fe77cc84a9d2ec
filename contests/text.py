"""Plain-text rules for what entrants and jurors type."""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from hub.safety import spreadsheet_safe

_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?][^>]*>|javascript:|\bon[a-z]+\s*=", re.IGNORECASE)
# C0 controls (ESC starts terminal escapes) except tab and line breaks, DEL, C1 controls, and
# the invisible characters that reorder or hide text (bidi marks, overrides and isolates, the
# zero-width space; the zero-width joiners of emoji and some scripts stay).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e"
                      "\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]")
_LINE_BREAK = re.compile("[\r\n\u2028\u2029\x85]")


def no_markup(value: str) -> None:
    """Refuse HTML or script in a text field: entries are plain text, shown escaped. Also
    refuses control characters (see ``no_control_characters``)."""
    no_control_characters(value)
    if value and _MARKUP.search(value):
        raise ValidationError(
            _("Escriba solo texto: no se admiten etiquetas HTML ni código (por ejemplo <script>)."),
            code="markup",
        )


def no_control_characters(value: str) -> None:
    """Refuse invisible control characters (terminal escapes, NUL, right-to-left overrides):
    they cannot be typed on purpose, mislead whoever reads the text and break exports. Tabs
    and line breaks are text."""
    if value and _CONTROL.search(str(value)):
        raise ValidationError(
            _("El texto contiene caracteres de control invisibles (por ejemplo de una terminal o de "
              "cambio de dirección); bórrelos o escriba el texto de nuevo."), code="control")


def single_line(value: str) -> None:
    """A one-line field (a title, a name, a school): no line breaks either."""
    no_control_characters(value)
    if value and _LINE_BREAK.search(str(value)):
        raise ValidationError(_("Escriba este dato en un solo renglón."), code="line_break")


def single_line_plain(value: str) -> None:
    """``single_line`` and ``no_markup`` together, for one-line fields people type."""
    single_line(value)
    no_markup(value)


_ILLEGAL_IN_SHEETS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def spreadsheet_cell(value):
    """A value safe in a CSV or XLSX cell: text that a spreadsheet would run as a formula
    (``hub.safety.spreadsheet_safe``, the product's one neutraliser) gets a leading
    apostrophe, and characters XLSX cannot hold are dropped."""
    if not isinstance(value, str):
        return value
    return spreadsheet_safe(_ILLEGAL_IN_SHEETS.sub("", value))


def local_time(moment, *, seconds: bool = False) -> str:
    """A moment as people in the contests read it: Mexico City time, dd/mm/yyyy hh:mm[:ss]."""
    if moment is None:
        return ""
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M:%S" if seconds else "%d/%m/%Y %H:%M")


def closing_in_words(end, now=None) -> str:
    """When something closes and how long is left, as a juror reads it: «cierra el 10 de
    diciembre a las 23:59, en 5 días» (Mexico City time). ``end`` is exclusive, so a phase that
    ends at midnight is shown closing at 23:59 of its last day."""
    now = now or timezone.now()
    last = timezone.localtime(end - dt.timedelta(minutes=1))
    day = formats.date_format(last, "MONTH_DAY_FORMAT")
    if last.year != timezone.localtime(now).year:
        day = formats.date_format(last, "DATE_FORMAT")
    left = end - now
    if left.days >= 1:
        count = ngettext("en %(n)s día", "en %(n)s días", left.days) % {"n": left.days}
    elif left >= dt.timedelta(hours=1):
        hours = left.seconds // 3600
        count = ngettext("en %(n)s hora", "en %(n)s horas", hours) % {"n": hours}
    else:
        minutes = max(1, left.seconds // 60)
        count = ngettext("en %(n)s minuto", "en %(n)s minutos", minutes) % {"n": minutes}
    return gettext("cierra el %(day)s a las %(time)s, %(left)s") % {
        "day": day, "time": last.strftime("%H:%M"), "left": count}


def query_text(value, max_length: int = 100) -> str:
    """What a visitor typed into a search or filter, fit for a database query: control
    characters (NUL included, which PostgreSQL refuses) dropped, at most ``max_length``."""
    return _CONTROL.sub("", str(value or ""))[:max_length].strip()
