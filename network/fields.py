"""Model fields of the network app."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import signals
from django.utils import timezone, translation
from django.utils.encoding import force_str


def local_day(value) -> dt.date | None:
    """The calendar day of an aware date-time in the site's time zone (America/Mexico_City).

    The site's zone, not the request's: the stored day must not depend on who saved the row.
    """
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_default_timezone())
    return timezone.localtime(value, timezone.get_default_timezone()).date()


class LocalDayField(models.DateField):
    """The Mexico City calendar day of another date-time field of the same row.

    Stored so that the database can group and rank rows by local day with plain column
    comparisons (SQLite otherwise converts every row's time zone in Python). Django fills it on
    every write that goes through the model: ``save()`` (admin, revisions, factories),
    ``bulk_create()`` and fixtures (``loaddata`` saves raw rows, so a ``pre_save`` receiver
    fills those). ``EventQuerySet.update()`` and ``bulk_update()`` keep it in step when they
    change the source field; a raw SQL ``UPDATE`` must set both.
    """

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def compute(self, instance) -> dt.date | None:
        value = getattr(instance, self.source)
        if isinstance(value, str):
            value = instance._meta.get_field(self.source).to_python(value)
        return local_day(value)

    def pre_save(self, model_instance, add):
        value = self.compute(model_instance)
        setattr(model_instance, self.attname, value)
        return value

    def contribute_to_class(self, cls, name, **kwargs):
        super().contribute_to_class(cls, name, **kwargs)
        if not cls._meta.abstract:
            signals.pre_save.connect(self._fill_raw, sender=cls)

    def _fill_raw(self, sender, instance, raw=False, **kwargs):
        # Fixtures are saved raw: field values are written as given, without pre_save().
        if raw:
            setattr(instance, self.attname, self.compute(instance))


class ChoiceLabelsMixin:
    """``get_FOO_display()`` from a table of translated labels made once per field and language.

    Django rebuilds the field's whole choices dict, translating every label, on each call: a
    list of 30 events paid some 500 translations per page. Labels are fixed per language, so
    the table is kept on the field. Unhashable values fall back to Django's own lookup.
    """

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        language = translation.get_language()
        tables = field.__dict__.setdefault("_labels_by_language", {})
        labels = tables.get(language)
        if labels is None:
            labels = tables[language] = {key: str(label) for key, label in field.flatchoices}
        try:
            label = labels.get(value)
        except TypeError:
            return super()._get_FIELD_display(field)
        return force_str(value, strings_only=True) if label is None else label
