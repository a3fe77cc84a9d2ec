from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from .models import Agreement


class ExpiringAgreementsPanel(Component):
    """Dashboard panel for Coordinación: agreements expired or about to expire."""

    name = "expiring_agreements"
    order = 150
    template_name = "network/admin/expiring_panel.html"

    def get_context_data(self, parent_context):
        days = settings.ENLACE_AGREEMENT_REMINDER_DAYS
        return {
            "title": _("Convenios por vencer o vencidos"),
            "expired": Agreement.objects.expired().order_by("valid_until")[:10],
            "expiring": Agreement.objects.expiring_within(days).order_by("valid_until")[:10],
            "days": days,
        }
