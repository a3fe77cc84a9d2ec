"""Publishing a post schedules its deliveries; publishing a shareable page creates a post."""

from __future__ import annotations

from django.dispatch import receiver
from wagtail.signals import page_published, published, unpublished

from .models import Post
from .shareable import ShareablePage


@receiver(published)
def post_published(sender, instance, revision=None, **kwargs):
    if not isinstance(instance, Post):
        return
    from . import jobs
    from .delivery import schedule

    schedule(instance)
    if instance.images.exists():
        jobs.send_on_commit("campaigns.prepare_renditions", post_id=instance.pk)


@receiver(unpublished)
def post_unpublished(sender, instance, **kwargs):
    if isinstance(instance, Post):
        from .delivery import cancel_pending

        cancel_pending(instance)


@receiver(page_published)
def page_published_share(sender, instance, revision=None, **kwargs):
    if isinstance(instance, ShareablePage):
        from .sharing import share_page

        share_page(instance, revision)
