"""Ground helpers that keep what people type from turning into something else elsewhere.

- ``spreadsheet_safe``: a cell that begins like a formula (``=``, ``+``, ``-``, ``@``, a tab or
  a carriage return, or their full-width forms, also after leading spaces) is prefixed with
  an apostrophe, so
  spreadsheet programs show it as text instead of running it. Every CSV and XLSX writer of
  the product uses it (open data, admin listing exports, contest exports).
- ``strip_control_characters``: removes control characters (NUL, terminal escapes such as
  ESC ``\\x1b``, DEL, the C1 range) and the bidirectional override and isolate characters that
  make text display in a misleading order. Tabs and line breaks stay in multi-line text.
  ``clean_text_fields`` applies it to every text field of a model instance before it is
  saved (wired for all of Enlace's apps in ``hub.apps``), whatever the entry point: admin,
  API, public forms, imports.
- ``DateTimeField`` / ``DateField``: the form fields of every date of the admin
  (``hub.apps`` registers them for Wagtail's model forms) refuse a year outside
  ``FIRST_YEAR``..``LAST_YEAR`` with a message on the field: a typo such as 9999 either could
  not be stored in UTC or, once stored, overflowed the arithmetic done on it (a call's
  deadline plus its grace minutes).

Nothing here imports any app of ours: any app may use it.
"""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")

_CONTROL_MULTILINE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_SINGLE_LINE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\t\n\r]")


def spreadsheet_safe(value):
    """``value`` as a spreadsheet shows it as text: formulas neutralised, other types as are."""
    if isinstance(value, str) and (value.startswith(FORMULA_STARTS)
                                   or value.lstrip(" \u00a0").startswith(FORMULA_STARTS)):
        return "'" + value
    return value


def strip_control_characters(text: str, *, multiline: bool = True) -> str:
    """``text`` without control characters; a single line also loses tabs and line breaks
    (each replaced by a space)."""
    if not text:
        return text
    if multiline:
        return _CONTROL_MULTILINE.sub("", text)
    return _CONTROL_SINGLE_LINE.sub(
        lambda m: " " if m.group() in "\t\n\r" else "", text)


def clean_text_fields(instance) -> None:
    """Strip control characters from every text field of a model instance, in place."""
    from django.db import models

    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        value = getattr(instance, field.attname, None)
        if isinstance(value, str) and value:
            cleaned = strip_control_characters(
                value, multiline=isinstance(field, models.TextField))
            if cleaned != value:
                setattr(instance, field.attname, cleaned)


# Years a date typed in the admin may have.
FIRST_YEAR, LAST_YEAR = 1900, 2999


def _check_year(value):
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise forms.ValidationError(
            gettext_lazy("Escriba un año entre %(first)s y %(last)s."), code="year",
            params={"first": FIRST_YEAR, "last": LAST_YEAR})
    return value


# Django's class names, kept: Wagtail styles and places a field (and its date picker) by the
# name of its form field's class (``w-field--date_field``).

class DateTimeField(forms.DateTimeField):
    """A date and time whose year (as typed, in Mexico City time) is within reason."""

    def to_python(self, value):
        return _check_year(super().to_python(value))


class DateField(forms.DateField):
    """A date whose year is within reason."""

    def to_python(self, value):
        return _check_year(super().to_python(value))
