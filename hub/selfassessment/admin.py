"""The self-assessment's questionnaire in the admin: one snippet per component, with its
questions (each with its answer options and their levels) and its recommendations inline."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSet

from hub.models import AssessmentComponent


class AssessmentComponentViewSet(SnippetViewSet):
    model = AssessmentComponent
    icon = "list-ol"
    menu_label = _("Autodiagnóstico")
    menu_name = "autodiagnostico"
    menu_order = 290
    add_to_admin_menu = True
    list_display = ["name", "sort_order", "updated_at"]
    search_fields = ["name"]
    ordering = ["sort_order", "pk"]
