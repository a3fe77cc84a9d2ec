from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Red SNT")

    def ready(self):
        from django.db.models.signals import post_migrate, post_save
        from wagtail.images import get_image_model

        from hub import pagecache

        # Register the open datasets, and the iCal feed's rebuild after changes.
        from . import datasets, ical, participation_datasets  # noqa: F401
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
            Milestone,
            Person,
            Region,
            Roadmap,
            RoadmapTool,
            VideoCapsule,
        )

        pagecache.register_public_models(Region, Institution, Person, Commission, Ally, Agreement,
                                         Event, VideoCapsule)  # what public pages show
        # The municipal roadmaps' public pages (hojas-de-ruta/).
        pagecache.register_public_models(RoadmapTool, Roadmap, Milestone)
        pagecache.register_public_models(JointAgenda, AgendaObjective, ActionLine, FollowUp)
        # A larger cupo published: the waiting list gets the new places at once.
        post_save.connect(_event_saved, sender=Event, dispatch_uid="network_event_places")
        post_save.connect(_image_saved, sender=get_image_model(),
                          dispatch_uid="network.renditions_on_image_save")
        post_migrate.connect(_index_reference_data, sender=self,
                             dispatch_uid="network.index_reference_data")
        _restricted_documents_out_of_reach()


def _restricted_documents_out_of_reach():
    """Documents behind a collection restricted to some groups are out of everyone else's
    reach in the admin (``network.domain.images.documents_in_reach``). Registered for the exact
    model, so it wins over the policy wagtail.documents registers whatever the apps' order."""
    from wagtail.documents import get_document_model
    from wagtail.permissions import register_permission_policy

    from .domain.images import document_permission_policy

    register_permission_policy(get_document_model(), document_permission_policy(),
                               exact_class=True)


def _index_reference_data(sender, using="default", **kwargs):
    """The institutions loaded by migrations are found by the site search from the start
    (migrations write rows without the signals that index them)."""
    from wagtail.search import index

    from .models import Institution

    for institution in Institution.objects.using(using).all():
        index.insert_or_update_object(institution)


def _event_saved(sender, instance, raw=False, **kwargs):
    """An event saved with room for more (a larger or removed cupo) takes people off its
    waiting list, in order (``participation.fill_free_places``)."""
    if raw or instance.pk is None:
        return
    from .domain.participation import fill_free_places

    fill_free_places(instance.pk)


def _image_saved(sender, instance, raw=False, **kwargs):
    """Every size the public pages show is made by a worker right after an image is saved."""
    if raw:
        return
    from .domain.images import enqueue_renditions

    enqueue_renditions(instance.pk)
