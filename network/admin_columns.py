"""Listing columns for the admin that read dates as dates and booleans as words.

Wagtail's ``DateColumn`` shows "hace 3 horas" / "Justo ahora" (``human_readable_date``), which
is right for *updated at* but wrong for a time still to come: an event next week read "Justo
ahora". ``LocalDateTimeColumn`` shows the date (and the time for datetimes) in Mexico City
time, with the full date-time on hover; other apps (campaigns) may use it as well.

Wagtail's ``BooleanColumn`` names its tick and cross "True" and "False" (in English, to screen
readers too), and exports and the inspect view wrote ``True``/``None``: ``yes_no`` gives the
words people read («Sí», «No», «—»), used by ``YesNoColumn``, the exports and ``YesNoDisplay``;
``ValueDisplay`` shows every other field of an inspect view («—» when empty, Mexico City time).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import formats, timezone
from django.utils.html import conditional_escape
from django.utils.translation import gettext as _
from wagtail.admin.ui.fields import BaseFieldDisplay
from wagtail.admin.ui.tables import Column


def yes_no(value):
    """«Sí»/«No» for a boolean, «—» for None; anything else unchanged."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("Sí") if value else _("No")
    return value


class YesNoColumn(Column):
    """A boolean column that reads «Sí», «No» or «—»."""

    def get_value(self, instance):
        return yes_no(super().get_value(instance))


class YesNoDisplay(BaseFieldDisplay):
    """A boolean field in the inspect view as «Sí», «No» or «—»."""

    def render_html(self, parent_context=None):
        return str(yes_no(self.value))


class ValueDisplay(BaseFieldDisplay):
    """Any other field in the inspect view: «—» when empty (Wagtail printed «None»), and a
    date-time in Mexico City time. Wagtail's template runs the value through ``localize``,
    which skips the time-zone conversion, so a send time read in UTC."""

    def render_html(self, parent_context=None):
        if self.value is None or self.value == "":
            return "—"
        if isinstance(self.value, dt.datetime):
            return local_display(self.value)
        return conditional_escape(formats.localize(self.value, use_l10n=True))


def local_display(value) -> str:
    """``25/12/2026 18:30`` for a datetime (Mexico City time), ``25/12/2026`` for a date."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value, ZoneInfo(settings.TIME_ZONE))
        return formats.date_format(local, "d/m/Y H:i")
    return formats.date_format(value, "d/m/Y")


class LocalDateTimeColumn(Column):
    cell_template_name = "network/admin/date_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["display"] = local_display(context.get("value"))
        return context
