from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Red SNT")

    def ready(self):
        from django.db.models.signals import post_save
        from wagtail.images import get_image_model

        from hub import pagecache

        from . import (
            datasets,  # noqa: F401  (registers the open datasets)
            participation_datasets,  # noqa: F401
        )
        from .models import Agreement, Ally, Commission, Event, Institution, Person, Region, VideoCapsule

        pagecache.register_public_models(Region, Institution, Person, Commission, Ally, Agreement,
                                         Event, VideoCapsule)  # what public pages show
        post_save.connect(_image_saved, sender=get_image_model(),
                          dispatch_uid="network.renditions_on_image_save")


def _image_saved(sender, instance, raw=False, **kwargs):
    """Every size the public pages show is made by a worker right after an image is saved."""
    if raw:
        return
    from .domain.images import enqueue_renditions

    enqueue_renditions(instance.pk)
