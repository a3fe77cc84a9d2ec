"""The figures that dashboards and the quarterly report are made of.

Each app contributes *sections* through the Wagtail hook ``enlace_indicators`` without any app
importing another: a provider is ``provider(scope: Scope) -> Section | None`` registered with
``@hooks.register(INDICATORS_HOOK)`` in the app's ``wagtail_hooks``. The dashboards (per
institution and for the whole commission) and the quarterly report iterate over ``sections()``.

A provider computes figures for the scope it is given and never decides who may see them: the
screen that builds the scope checks that (an officer gets a scope of their own institution only).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

INDICATORS_HOOK = "enlace_indicators"

Number = int | float | Decimal | None


@dataclass(frozen=True)
class Period:
    """A closed range of dates (both ends included), usually a calendar quarter."""

    start: dt.date
    end: dt.date

    @classmethod
    def quarter(cls, year: int, number: int) -> Period:
        if number not in (1, 2, 3, 4):
            raise ValueError(number)
        first_month = 3 * (number - 1) + 1
        start = dt.date(year, first_month, 1)
        if number == 4:  # computed without the next year's 1 January: year 9999 still works
            return cls(start, dt.date(year, 12, 31))
        return cls(start, dt.date(year, first_month + 3, 1) - dt.timedelta(days=1))

    @classmethod
    def current_quarter(cls, today: dt.date | None = None) -> Period:
        today = today or timezone.localdate()
        return cls.quarter(today.year, (today.month - 1) // 3 + 1)

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def number(self) -> int:
        """The quarter's number (1–4) when the period is a quarter."""
        return (self.start.month - 1) // 3 + 1

    def previous_quarter(self) -> Period:
        if self.number == 1:
            return Period.quarter(self.year - 1, 4)
        return Period.quarter(self.year, self.number - 1)

    @property
    def label(self) -> str:
        return _("%(number)sº trimestre de %(year)s") % {"number": self.number, "year": self.year}

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """Aware datetimes [start, end) in the current time zone (America/Mexico_City)."""
        tz = timezone.get_current_timezone()
        start = dt.datetime.combine(self.start, dt.time.min, tzinfo=tz)
        end = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        return start, end


@dataclass(frozen=True)
class Scope:
    """Whose figures: the whole network (both ids None), one region, or one institution."""

    period: Period
    institution_id: int | None = None
    region_id: int | None = None

    @property
    def is_national(self) -> bool:
        return self.institution_id is None and self.region_id is None


@dataclass(frozen=True)
class Figure:
    label: str
    value: Number
    unit: str = ""
    note: str = ""

    @property
    def suffix(self) -> str:
        """What follows the number on screen: a symbol unit ("%"), never a word unit — the
        label already names what is counted, and "1 personas" would not agree."""
        unit = self.unit.strip()
        return self.unit if unit and not unit[0].isalpha() else ""


@dataclass(frozen=True)
class Series:
    """Labelled values for one bar chart (and the table that goes with it)."""

    title: str
    rows: list[tuple[str, Number]]
    unit: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    # One or two sentences in plain language ("lenguaje ciudadano") for the quarterly report.
    summary: str = ""
    order: int = 100


def sections(scope: Scope) -> list[Section]:
    """Every registered provider's section for ``scope``, in their order."""
    from wagtail import hooks

    found = [provider(scope) for provider in hooks.get_hooks(INDICATORS_HOOK)]
    return sorted((s for s in found if s is not None), key=lambda s: (s.order, s.key))
