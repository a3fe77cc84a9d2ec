from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campañas")

    def ready(self):
        from . import (
            logsafety,
            signals,  # noqa: F401
            tasks,  # noqa: F401  (registers the jobs the engine sends by name, see jobs.py)
        )

        logsafety.install()
