from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Red SNT")

    def ready(self):
        from . import datasets  # noqa: F401  (registers the open datasets)
