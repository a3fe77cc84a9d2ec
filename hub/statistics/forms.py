"""The admin form of a quarterly report: the standard template plus the data-defined fields."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from hub.models.statistics import STANDARD_FIGURES
from hub.statistics.domain import (
    active_definitions,
    figure_field,
    standard_field,
    stored_value,
    validate_on_time,
)
from network.admin_scope import InstitutionScopedForm


class QuarterlyReportForm(InstitutionScopedForm):
    """Officers pick only their own institution; every active extra field is a form field
    (named ``extra__<key>``) validated like the same column of an upload."""

    EXTRA_PREFIX = "extra__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The standard figures as an upload reads them (whole, non-negative, at most
        # MAX_INTEGER): the model's columns alone took anything up to 2**63 - 1 on SQLite,
        # which the dashboard's sums could not add up.
        for name, _column, label, _unit in STANDARD_FIGURES:
            if name in self.fields:
                self.fields[name] = standard_field(self.fields[name].label or label)
        self.definitions = active_definitions()
        stored = self.instance.extra or {}
        for definition in self.definitions:
            name = self.EXTRA_PREFIX + definition.key
            self.fields[name] = figure_field(definition)
            self.initial.setdefault(name, stored.get(definition.key))

    @property
    def extra_field_names(self) -> list[str]:
        return [self.EXTRA_PREFIX + d.key for d in self.definitions]

    def clean(self):
        cleaned = super().clean()
        validate_on_time(cleaned, self.add_error, "requests_received", "requests_on_time")
        return cleaned

    def save(self, commit=True):
        extra = dict(self.instance.extra or {})
        for definition in self.definitions:
            value = stored_value(definition,
                                 self.cleaned_data.get(self.EXTRA_PREFIX + definition.key))
            if value is None:
                extra.pop(definition.key, None)
            else:
                extra[definition.key] = value
        self.instance.extra = extra
        if self.for_user is not None and getattr(self.for_user, "pk", None):
            self.instance.updated_by = self.for_user
        return super().save(commit=commit)


class ExtraFiguresPanel(Panel):
    """Renders the form's data-defined figure fields (they change without a deploy)."""

    def __init__(self, heading=None, **kwargs):
        super().__init__(heading=heading or _("Cifras adicionales de la Comisión"), **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "hub/statistics/admin/extra_panel.html"

        def is_shown(self):
            return bool(getattr(self.form, "extra_field_names", None))

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["fields"] = [self.form[name] for name in self.form.extra_field_names]
            return context
