"""Admin panels of the publications' pages."""

from __future__ import annotations

from django.utils.translation import gettext as _
from modelcluster.forms import BaseChildFormSet
from wagtail.admin.panels import InlinePanel


class NamedUniqueFormSet(BaseChildFormSet):
    """A row chosen twice is refused naming the field in Spanish: Django's message names
    the model's fields as written in the code («article y author»)."""

    def get_unique_error_message(self, unique_check):
        names = [str(self.model._meta.get_field(name).verbose_name) for name in unique_check
                 if name != self.fk.name]
        return _("«%(field)s» se repite: elija cada uno una sola vez y quite la fila "
                 "repetida.") % {"field": ", ".join(names)}


class UniqueRowsInlinePanel(InlinePanel):
    """An inline panel whose rows are unique, refused in Spanish when repeated."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["formset"] = NamedUniqueFormSet
        return options
