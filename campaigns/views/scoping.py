"""The campaigns' snippet viewsets, scoped by ``campaigns.rules`` in every view Wagtail offers.

Every view that loads one object (edit, delete, copy, usage, history, inspect, revisions,
preview, lock, unlock, unpublish and the workflow views: history, history detail, action,
preview, cancellation) asks the object's predicate; the listing, its filters, its exports and
the chooser (choose, results, chosen) show only the rows the same scope gives.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from hub.safety import spreadsheet_safe
from network.admin_columns import yes_no
from network.models import Institution

from .. import planning, rules
from ..models import Campaign, Channel, Delivery, FeedSource, Post

# Views that do not load one object of the model.
_NOT_OBJECT_VIEWS = {"index_view_class", "add_view_class", "reorder_view_class",
                     "preview_on_add_view_class", "chooser_viewset_class"}

OBJECT_PERMISSIONS = {
    Post: "campaigns.act_on_post",
    Channel: "campaigns.act_on_channel",
    Campaign: "campaigns.act_on_campaign",
    FeedSource: "campaigns.act_on_feed",
}



class ScopedObjectMixin:
    """Refuses to load an object outside the user's scope (before any of the view runs)."""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not self.request.user.has_perm(OBJECT_PERMISSIONS[type(obj)], obj):
            raise PermissionDenied
        return obj


def _scoped_choices(user, model, queryset):
    if model is Institution:
        if rules.is_coordinator(user):
            return queryset
        own = rules.officer_institution_id(user) if rules.is_officer(user) else None
        return queryset.filter(pk=own) if own is not None else queryset.none()
    if model in OBJECT_PERMISSIONS:
        return rules.scope(user, queryset)
    return queryset


class ScopedFilterSet(WagtailFilterSet):
    """The listing filters offer only channels, campaigns and institutions in the user's scope."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = getattr(request, "user", None)
        for flt in self.filters.values():
            choices = getattr(flt, "queryset", None)
            if choices is not None and hasattr(choices, "model"):
                flt.queryset = _scoped_choices(user, choices.model, choices)


OUT_OF_CALENDAR = _("Elija un día del calendario, entre el año 2000 y el 2199.")


class CalendarCellForm(forms.Form):
    """The posts listing's filter form: an hour of the calendar is an hour of one of its days."""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("hora") and not cleaned.get("dia") and "dia" not in self.errors:
            self.add_error("hora", _("Elija también el día del calendario."))
        return cleaned


class PostFilterSet(ScopedFilterSet):
    """The posts' filters, and the calendar cell its «+N más» of a busy hour opens: that day and
    hour, on the channels the calendar was filtered to (its institution's and the one chosen
    in «canales»), with the calendar's meaning of each."""

    dia = django_filters.DateFilter(
        label=_("Día del calendario (hora de la Cd. de México)"), method="in_cell",
        validators=[MinValueValidator(planning.FIRST_DAY, OUT_OF_CALENDAR),
                    MaxValueValidator(planning.LAST_DAY, OUT_OF_CALENDAR)])
    hora = django_filters.ChoiceFilter(
        label=_("Hora de ese día del calendario"), method="in_cell",
        choices=[(str(hour), f"{hour:02d}:00") for hour in range(24)])
    institucion = django_filters.ChoiceFilter(label=_("Institución de los canales"),
                                              method="in_cell", choices=[])

    # Filters read together, in filter_queryset.
    CELL = ("dia", "hora", "institucion")

    class Meta:
        model = Post
        fields = ["institution", "campaign", "channels", "live"]
        form = CalendarCellForm

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.user = getattr(request, "user", None)
        channels = Channel.objects.for_user(self.user) if self.user else Channel.objects.none()
        self.filters["institucion"].extra["choices"] = lambda: [(planning.SNT, "SNT")] + [
            (str(pk), acronym) for pk, acronym in Institution.objects.filter(
                pk__in=channels.values("institution_id")).order_by("acronym")
            .values_list("pk", "acronym")]

    def in_cell(self, queryset, name, value):
        return queryset  # read with the others of CELL in filter_queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        day, hour, institution = data.get("dia"), data.get("hora"), data.get("institucion")
        if institution and institution != planning.SNT:
            institution = int(institution)
        channels = tuple(channel.pk for channel in data.get("channels") or ())
        for name, value in data.items():
            if name not in self.CELL and name != "channels":
                queryset = self.filters[name].filter(queryset, value)
        if day:
            deliveries = (Delivery.objects.for_user(self.user) if self.user
                          else Delivery.objects.none())
            return planning.in_cell(queryset, deliveries, day, int(hour) if hour else None,
                                    institution=institution or None, channels=channels)
        # By the posts' ids, not a join on their channels: the search box searches what the
        # filters leave, and the search engine filters on a post's own fields only.
        return planning.posts_on(queryset, institution or None, channels)


class _ScopedChooseMixin:
    def get_object_list(self):
        return rules.scope(self.request.user, super().get_object_list())


class ScopedChooseView(_ScopedChooseMixin, snippet_chooser.ChooseView):
    pass


class ScopedChooseResultsView(_ScopedChooseMixin, snippet_chooser.ChooseResultsView):
    pass


class ScopedChosenView(snippet_chooser.SnippetChosenView):
    def get_object(self, pk):
        return rules.scope(self.request.user, self.model_class.objects.all()).get(pk=pk)


class ScopedChosenMultipleView(snippet_chooser.SnippetChosenMultipleView):
    def get_objects(self, pks):
        return rules.scope(self.request.user, self.model_class.objects.all()).filter(pk__in=pks)


class ScopedChooserViewSet(snippet_chooser.SnippetChooserViewSet):
    choose_view_class = ScopedChooseView
    choose_results_view_class = ScopedChooseResultsView
    chosen_view_class = ScopedChosenView
    chosen_multiple_view_class = ScopedChosenMultipleView


class SafeExportIndexView(IndexView):
    """CSV and XLSX exports with spreadsheet formulas neutralised in every cell."""

    def preprocess_field_value(self, field, value, export_format):
        return spreadsheet_safe(yes_no(super().preprocess_field_value(field, value,
                                                                      export_format)))


class ScopedViewSet(SnippetViewSet):
    """A snippet viewset whose every view is scoped by ``campaigns.rules``."""

    index_view_class = SafeExportIndexView
    filterset_class = None
    chooser_viewset_class = ScopedChooserViewSet
    #: "see" for rows one may open (posts, campaigns); "manage" for channels' settings.
    scope_purpose = "see"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for attr in dir(cls):
            if not attr.endswith("_view_class") or attr in _NOT_OBJECT_VIEWS:
                continue
            base = getattr(cls, attr, None)
            if isinstance(base, type) and not issubclass(base, ScopedObjectMixin):
                setattr(cls, attr, type(f"Scoped{base.__name__}", (ScopedObjectMixin, base), {}))
        if cls.list_filter and cls.filterset_class is None:
            model, fields = cls.model, cls.list_filter

            class Meta:
                pass

            Meta.model, Meta.fields = model, fields
            cls.filterset_class = type(f"{model.__name__}ScopedFilterSet", (ScopedFilterSet,),
                                       {"Meta": Meta})

    def get_queryset(self, request):
        return rules.scope(request.user, self.model._default_manager.all(),
                           purpose=self.scope_purpose)


class ScopedDeleteBulkAction(DeleteBulkAction):
    """Wagtail's bulk delete for the campaigns' snippets, over the user's scope only: rows
    outside it are neither acted on nor named (not even as "no permission")."""

    models = [Post, Channel, Campaign, FeedSource]

    def _in_scope(self, obj) -> bool:
        return self.request.user.has_perm(OBJECT_PERMISSIONS[type(obj)], obj)

    def get_all_objects_in_listing_query(self, parent_id):
        """«Select all in the listing»: the rows the listing shows with the filters and search
        it was open with (Wagtail sends them along; it read every row of the model)."""
        purpose = "manage" if self.model in (Channel, Campaign) else "see"
        scoped = rules.scope(self.request.user, self.model.objects.all(), purpose=purpose)
        index = self.model.snippet_viewset.index_view
        listing = index.view_class(**index.view_initkwargs)
        listing.setup(self.request)
        shown = listing.get_queryset()
        if isinstance(shown, QuerySet):
            return scoped.filter(pk__in=shown.order_by().values("pk")).values_list("pk", flat=True)
        return scoped.filter(pk__in=[row.pk for row in shown]).values_list("pk", flat=True)

    def get_queryset(self, model, object_ids):
        return [obj for obj in super().get_queryset(model, object_ids) if self._in_scope(obj)]
