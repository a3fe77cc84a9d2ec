"""From a request's selectors (``year``, ``quarter``, ``institution``, ``region``) to a Scope."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.indicators import Period, Scope
from network.models import Institution, Region
from network.rules import is_coordinator, officer_institution_id

from .rules import can_view_scope

FIRST_YEAR = 2020
MAX_ID = 2**31 - 1


def year_choices() -> list[tuple[int, int]]:
    return [(y, y) for y in range(timezone.localdate().year, FIRST_YEAR - 1, -1)]


class IdChoiceField(forms.ModelChoiceField):
    """A row chosen by id; anything that is not an id in range is an invalid choice (never a
    query with 2**63 or "abc")."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            number = int(str(value))
        except ValueError:
            number = 0
        if not 0 < number <= MAX_ID:
            raise forms.ValidationError(self.error_messages["invalid_choice"],
                                        code="invalid_choice")
        return super().to_python(number)


class ScopeForm(forms.Form):
    """The dashboard's selectors. Officers get the period fields only."""

    year = forms.TypedChoiceField(label=_("Año"), coerce=int, choices=year_choices,
                                  error_messages={"invalid_choice": _("Elija un año de la lista.")})
    quarter = forms.TypedChoiceField(
        label=_("Trimestre"), coerce=int,
        choices=[(n, _("%(n)sº trimestre") % {"n": n}) for n in (1, 2, 3, 4)],
        error_messages={"invalid_choice": _("Elija un trimestre del 1 al 4.")})
    region = IdChoiceField(
        label=_("Región"), required=False, empty_label=_("Todas"),
        queryset=Region.objects.order_by("order", "name"),
        error_messages={"invalid_choice": _("Elija una región de la lista.")})
    institution = IdChoiceField(
        label=_("Institución"), required=False, empty_label=_("Todas (nacional)"),
        queryset=Institution.objects.order_by("acronym"),
        error_messages={"invalid_choice": _("Elija una institución de la lista.")})

    def __init__(self, user, data=None):
        period = Period.current_quarter()
        initial = {"year": period.year, "quarter": period.number}
        data = data.copy() if data is not None else {}
        for key, value in initial.items():
            data.setdefault(key, value)
        super().__init__(data)
        self.user = user
        if not is_coordinator(user):
            del self.fields["region"], self.fields["institution"]

    def clean(self):
        data = super().clean()
        if data.get("institution") and data.get("region"):
            raise forms.ValidationError(_("Elija una región o una institución, no ambas."))
        return data

    def scope(self) -> Scope:
        data = self.cleaned_data
        period = Period.quarter(data["year"], data["quarter"])
        if "institution" not in self.fields:
            return Scope(period, institution_id=officer_institution_id(self.user))
        return Scope(period, institution_id=getattr(data.get("institution"), "pk", None),
                     region_id=getattr(data.get("region"), "pk", None))


def scope_from_request(user, params) -> tuple[ScopeForm, Scope | None]:
    """The form and the scope it selects (None when the input is invalid).

    An officer who names any institution but their own, or a region, is refused
    (``PermissionDenied``) rather than silently shown their own figures.
    """
    if not is_coordinator(user):
        own = officer_institution_id(user)
        asked = params.get("institution", "")
        if params.get("region") or (asked and asked != str(own)):
            raise PermissionDenied
    form = ScopeForm(user, params)
    if not form.is_valid():
        return form, None
    scope = form.scope()
    if not can_view_scope(user, scope):
        raise PermissionDenied
    return form, scope


def scope_label(scope: Scope) -> str:
    if scope.institution_id is not None:
        institution = Institution.objects.filter(pk=scope.institution_id).first()
        return str(institution) if institution else ""
    if scope.region_id is not None:
        region = Region.objects.filter(pk=scope.region_id).first()
        return _("Región %(name)s") % {"name": region} if region else ""
    return str(_("Nacional"))
