"""Per-institution scoping of the network's admin screens.

Officers of the Comunicación group see and edit only the rows of their own institution;
Coordinación sees everything. The scope is enforced in three places: the listing
queryset, every view that loads one object, and the form's institution choices; each asks
the predicates of ``network.rules`` (``scope_queryset``, ``can_act_on``).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ProtectedError
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views.snippets import SnippetViewSet

from hub.safety import spreadsheet_safe

from . import rules
from .admin_columns import yes_no


class ScopedObjectMixin:
    """Refuses to load an object outside the user's institution (404-like PermissionDenied)."""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not rules.can_act_on(self.request.user, obj):
            raise PermissionDenied
        return obj


_OBJECT_VIEWS = [
    "edit_view_class", "delete_view_class", "copy_view_class", "usage_view_class",
    "history_view_class", "inspect_view_class", "unpublish_view_class",
    "revisions_view_class", "revisions_compare_view_class", "revisions_unschedule_view_class",
    "preview_on_edit_view_class", "lock_view_class", "unlock_view_class",
]


class _ScopedChoices:
    """Chooser views list and return only rows the user may see (``rules.scope_queryset``, or
    the predicate named by ``scope_rule``)."""

    scope_rule = "scope_queryset"

    def _scoped(self, qs):
        return getattr(rules, self.scope_rule)(self.request.user, qs)

    def get_object_list(self):
        return self._scoped(super().get_object_list())

    def get_object(self, pk):
        return self._scoped(self.model_class.objects.all()).get(pk=pk)

    def get_objects(self, pks):
        return self._scoped(super().get_objects(pks))


class ScopedChooserViewSet(snippet_chooser.SnippetChooserViewSet):
    """The snippet chooser (e.g. contacts in a commission) scoped like the listing: its
    listing, search, results pages and chosen answers all ask the predicate ``scope_rule``."""

    scope_rule = "scope_queryset"
    choose_view_class = type("ScopedChooseView", (_ScopedChoices, snippet_chooser.ChooseView), {})
    choose_results_view_class = type("ScopedChooseResultsView",
                                     (_ScopedChoices, snippet_chooser.ChooseResultsView), {})
    chosen_view_class = type("ScopedChosenView",
                             (_ScopedChoices, snippet_chooser.SnippetChosenView), {})
    chosen_multiple_view_class = type(
        "ScopedChosenMultipleView", (_ScopedChoices, snippet_chooser.SnippetChosenMultipleView),
        {})

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(scope_rule=self.scope_rule, **kwargs)


class LinkableEventChooserViewSet(ScopedChooserViewSet):
    """Events to link to a line of action (``rules.linkable_events``): an officer also finds
    the published events of other institutions, which the events' own chooser does not list."""

    scope_rule = "linkable_events"
    icon = "date"
    register_widget = False


class _ScopedFilters:
    """The listing's filter choices (institutions, contacts...) limited to the user's scope."""

    @cached_property
    def filters(self):
        filters = super().filters
        if filters is not None:
            for name, flt in filters.filters.items():
                qs = getattr(flt, "queryset", None)
                if qs is None or not hasattr(qs, "model") or not rules.is_scoped_model(qs.model):
                    continue
                flt.queryset = rules.scope_queryset(self.request.user, qs)
                field = filters.form.fields.get(name)
                if field is not None and hasattr(field, "queryset"):
                    field.queryset = flt.queryset
        return filters


class _SafeExport:
    """CSV exports of a listing neutralise spreadsheet formulas (Wagtail's XLSX already does)."""

    def preprocess_field_value(self, field, value, export_format):
        value = yes_no(super().preprocess_field_value(field, value, export_format))
        return spreadsheet_safe(value) if export_format == self.FORMAT_CSV else value


_MAX_ID = 2**63 - 1


class _SaneFilterData:
    """Filter values no database row can have (ids beyond 64 bits) are dropped before the
    filters see them: a filter of rows by id sent them to the database, which answered with
    an overflow (500). The listing then shows as if that value had not been chosen."""

    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        data = kwargs.get("data")
        if data is not None:
            data = data.copy()
            for key in list(data):
                data.setlist(key, [v for v in data.getlist(key)
                                   if not (v.isascii() and v.isdigit() and int(v) > _MAX_ID)])
            kwargs["data"] = data
        return kwargs


class _RefuseProtectedDelete:
    """Deleting a row that others still need (a ``PROTECT`` foreign key: a region with joint
    agendas, an agenda whose objectives have lines of action) says so in Spanish and deletes
    nothing, instead of failing with a 500."""

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except ProtectedError:
            messages.error(self.request, _("No se puede eliminar «%(object)s»: otros registros "
                                           "dependen de él. Elimínelos o cámbielos primero.")
                           % {"object": self.object})
            return redirect(self.get_success_url())


class SafeExportViewSet(SnippetViewSet):
    """A snippet viewset whose CSV export cannot carry a formula into a spreadsheet, whose
    filters survive impossible ids and whose delete refuses protected rows politely."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not issubclass(cls.delete_view_class, _RefuseProtectedDelete):
            cls.delete_view_class = type(f"Protected{cls.delete_view_class.__name__}",
                                         (_RefuseProtectedDelete, cls.delete_view_class), {})
        if not issubclass(cls.index_view_class, _SafeExport):
            cls.index_view_class = type(f"SafeExport{cls.index_view_class.__name__}",
                                        (_SafeExport, _SaneFilterData, cls.index_view_class),
                                        {})


class InstitutionScopedViewSet(SafeExportViewSet):
    """A snippet viewset whose rows officers see only for their own institution.

    Listing, every object view, the chooser and the listing's filter choices are scoped;
    exports are formula-safe.
    """

    chooser_viewset_class = ScopedChooserViewSet

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for attr in _OBJECT_VIEWS:
            base = getattr(cls, attr, None)
            if base is not None and not issubclass(base, ScopedObjectMixin):
                setattr(cls, attr, type(f"Scoped{base.__name__}", (ScopedObjectMixin, base), {}))
        if not issubclass(cls.index_view_class, _ScopedFilters):
            cls.index_view_class = type(f"Scoped{cls.index_view_class.__name__}",
                                        (_ScopedFilters, cls.index_view_class), {})

    def get_queryset(self, request):
        return rules.scope_queryset(request.user, self.model._default_manager.all())


def scope_choice_fields(form, user) -> None:
    """Every choice of a network row in ``form`` limited to what ``user`` may see."""
    for field in form.fields.values():
        qs = getattr(field, "queryset", None)
        if qs is not None and hasattr(qs, "model") and rules.is_scoped_model(qs.model):
            field.queryset = rules.scope_queryset(user, qs)


def name_contacts_with_institution(form) -> None:
    """Contacts are named with their institution («Ana Pérez (INFOEM)»): every list of them in
    ``form`` reads the institution in the same query (one query more per contact made the
    agreement's form take a minute to open with 10,000 contacts)."""
    from .models import Person

    for field in form.fields.values():
        qs = getattr(field, "queryset", None)
        if qs is not None and getattr(qs, "model", None) is Person:
            field.queryset = qs.select_related("institution")


class ContactChoicesForm(WagtailAdminModelForm):
    """An admin form whose lists of contacts take one query, whatever their number."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_contacts_with_institution(self)


class StaffProfileForm(WagtailAdminModelForm):
    """An adscription ties a staff user to an institution: entrants and jurors (anyone may
    open an entrant's account) are neither offered nor accepted."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        field.queryset = rules.staff_members(field.queryset).order_by("username")


class InstitutionScopedForm(WagtailAdminModelForm):
    """Limits an officer's institution choices to their own institution."""

    scope_field: str = "institution"

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        name_contacts_with_institution(self)
        self._scoped_institution = None
        if for_user is None or rules.is_coordinator(for_user):
            return
        scope_choice_fields(self, for_user)
        own = rules.officer_institution_id(for_user)
        self._scoped_institution = own
        field = self.fields.get(self.scope_field)
        if isinstance(field, forms.ModelChoiceField) and not isinstance(
            field, forms.ModelMultipleChoiceField
        ):
            field.queryset = field.queryset.filter(pk=own)
            field.required = True
            field.empty_label = None

    def clean(self):
        cleaned = super().clean()
        own = self._scoped_institution
        if own is not None and self.scope_field in self.fields:
            value = cleaned.get(self.scope_field)
            chosen = {i.pk for i in value} if hasattr(value, "__iter__") else (
                {value.pk} if value else set())
            if own not in chosen:
                self.add_error(
                    self.scope_field,
                    _("Solo puede registrar información de su propia institución; inclúyala."),
                )
        return cleaned


class OrganizersScopedForm(InstitutionScopedForm):
    scope_field = "organizers"
