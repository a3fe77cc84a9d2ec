"""Publishing a post schedules its deliveries; publishing a shareable page creates a post."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from modelsearch import index
from wagtail.signals import page_published, published, unpublished

from .models import Post
from .shareable import ShareablePage


@receiver(post_save, sender=Post)
def index_post(sender, instance, raw=False, **kwargs):
    """What modelsearch's own handler does (``Post.search_auto_update`` is off), except while
    ``posts.create_and_submit`` writes a new post (it indexes the post once, afterwards)."""
    from .posts import search_index_deferred

    if not raw and not search_index_deferred():
        index.insert_or_update_object(instance)


@receiver(post_delete, sender=Post)
def unindex_post(sender, instance, **kwargs):
    index.remove_object(instance)


@receiver(published)
def post_published(sender, instance, revision=None, **kwargs):
    if not isinstance(instance, Post) or getattr(instance, "_deliveries_scheduled", False):
        return  # posts.create_and_submit has scheduled a new post's deliveries itself
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
