"""The dashboard's panel on the Wagtail home: the current quarter in a few figures."""

from __future__ import annotations

from django.urls import reverse
from wagtail.admin.ui.components import Component

from hub.indicators import Period, Scope, sections
from network.rules import is_coordinator, officer_institution_id

from .scope import scope_label


class DashboardPanel(Component):
    name = "enlace_dashboard"
    order = 90
    template_name = "hub/dashboard/home_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        period = Period.current_quarter()
        institution = None if is_coordinator(self.user) else officer_institution_id(self.user)
        scope = Scope(period, institution_id=institution)
        found = sections(scope)
        return {
            "period": period, "scope_label": scope_label(scope),
            "figures": [(s.title, s.figures[0]) for s in found if s.figures],
            "url": reverse("enlace_dashboard"),
        }
