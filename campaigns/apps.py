from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campañas")

    def ready(self):
        from . import logsafety, signals  # noqa: F401

        logsafety.install()
