from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = _("Publicaciones")

    def ready(self):
        from . import datasets, signals  # noqa: F401  (datasets: registers the open data)
