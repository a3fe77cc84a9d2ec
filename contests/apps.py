from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "contests"
    verbose_name = _("Concursos")

    def ready(self):
        from . import (
            datasets,  # noqa: F401  (registers the open dataset of results)
            tasks,  # noqa: F401  (registers the jobs the domain asks for by name, see jobs.py)
        )
