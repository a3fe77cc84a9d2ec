from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Red SNT")

    def ready(self):
        from hub import pagecache

        from . import datasets  # noqa: F401  (registers the open datasets)
        from .models import Agreement, Ally, Commission, Event, Institution, Person, Region, VideoCapsule

        pagecache.register_public_models(Region, Institution, Person, Commission, Ally, Agreement,
                                         Event, VideoCapsule)  # what public pages show
