"""Form widgets of the network's admin screens."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.staticfiles import versioned_static
from wagtail.admin.telepath import JSContext, register
from wagtail.admin.telepath.widgets import WidgetAdapter
from wagtail.snippets.widgets import AdminSnippetChooser


class MultipleChooser(forms.SelectMultiple):
    """A many-to-many choice as Wagtail's chooser modal (search, pages, several at once)
    instead of a list box that writes every row of the table into the page.

    Only the chosen rows are read and rendered, each with a «Quitar» button and a hidden input
    of the field's name; «Elegir» opens the snippet chooser of ``model`` (or the
    chooser registered under ``chooser_url_name``). What the chooser lists is scoped
    by its views; what is saved is still checked by the form field's queryset, so an id sent by
    hand outside it is refused with the field's message.
    """

    template_name = "network/widgets/multiple_chooser.html"

    def __init__(self, model, chooser_url_name=None, choose_label=None, attrs=None):
        super().__init__(attrs=attrs)
        self.model = model
        self.chooser_url_name = chooser_url_name
        self.choose_label = choose_label

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.model, copy.chooser_url_name = self.model, self.chooser_url_name
        copy.choose_label = self.choose_label
        return copy

    def _chooser(self) -> AdminSnippetChooser:
        chooser = AdminSnippetChooser(self.model)
        if self.chooser_url_name:
            chooser.get_chooser_modal_url = lambda: reverse(self.chooser_url_name)
        return chooser

    def use_required_attribute(self, initial):
        return False  # the inputs are hidden; the field says what is missing

    def get_context(self, name, value, attrs):
        context = forms.Widget.get_context(self, name, value, attrs)  # never every option
        pks = [str(v) for v in (value or []) if str(v).isdigit()]
        queryset = getattr(self.choices, "queryset", None)
        rows = {str(row.pk): row for row in queryset.filter(pk__in=pks)} if pks and \
            queryset is not None else {}
        js_context = JSContext()
        context["widget"].update({
            "chosen": [rows[pk] for pk in dict.fromkeys(pks) if pk in rows],
            "chooser_definition": js_context.pack(self._chooser()),
            "choose_label": self.choose_label or _("Elegir"),
        })
        return context

    def format_value(self, value):
        if value is None:
            return []
        if not isinstance(value, (tuple, list)):
            value = [value]
        return [str(getattr(v, "pk", v)) for v in value if v not in (None, "")]

    @cached_property
    def media(self):
        js_context = JSContext()
        js_context.pack(self._chooser())
        return js_context.media + forms.Media(
            js=[versioned_static("network/js/multiple-chooser.js")],
            css={"all": [versioned_static("network/css/multiple-chooser.css")]})


# The form's client-side state (Wagtail's panels) treats it as a plain widget, not a <select>.
register(WidgetAdapter(), MultipleChooser)
