from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Red SNT")

    def ready(self):
        from django.db.models.signals import post_save
        from wagtail.images import get_image_model

        from hub import pagecache

        from . import datasets  # noqa: F401  (registers the open datasets)
        from .models import (
            ActionLine,
            AgendaObjective,
            Agreement,
            Ally,
            Commission,
            Event,
            FollowUp,
            Institution,
            JointAgenda,
            Person,
            Region,
            VideoCapsule,
        )

        pagecache.register_public_models(Region, Institution, Person, Commission, Ally, Agreement,
                                         Event, VideoCapsule)  # what public pages show
        pagecache.register_public_models(JointAgenda, AgendaObjective, ActionLine, FollowUp)
        post_save.connect(_image_saved, sender=get_image_model(),
                          dispatch_uid="network.renditions_on_image_save")


def _image_saved(sender, instance, raw=False, **kwargs):
    """Every size the public pages show is made by a worker right after an image is saved."""
    if raw:
        return
    from .domain.images import enqueue_renditions

    enqueue_renditions(instance.pk)
