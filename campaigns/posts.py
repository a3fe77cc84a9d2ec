"""Creating a post and sending it on its way: the one function the API and page sharing use.

The admin's post editor goes through Wagtail's own publish and workflow actions, which end in
the same place (``campaigns.signals`` schedules the deliveries when a post goes live).
"""

from __future__ import annotations

from contextlib import contextmanager

from asgiref.local import Local
from django.db import transaction
from django.utils import timezone
from modelsearch import index
from wagtail.actions.publish_revision import PublishPermissionError
from wagtail.log_actions import log
from wagtail.models import ReferenceIndex
from wagtail.permissions import policy_registry
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.signals import published

from .models import Post
from .validation import needs_approval

_deferred = Local()


def search_index_deferred() -> bool:
    """True while :func:`create_and_submit` saves a post several times and indexes it once."""
    return getattr(_deferred, "value", False)


@contextmanager
def _index_once(post: Post):
    """Saving a new post takes three saves (the row, its revision pointer, its publication);
    the search index and Wagtail's reference index are written once, after the last one,
    instead of once per save (each write costs about five queries)."""
    _deferred.value = True
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        _deferred.value = False
    index.insert_or_update_object(post)
    ReferenceIndex.create_or_update_for_object(post)


def create_and_submit(actor, post: Post, channels) -> Post:
    """Save a new post with its target channels, then publish it, or, when one of the channels
    needs Coordinación's approval (SNT channels), start the approval workflow instead.

    The caller builds ``post`` (fields, tags, images as cluster children), has checked the
    channels against the actor's scope (``validation.validate_post``) and may wrap the call in
    its own transaction. Side effects: the post and its one revision are saved and logged as
    ``actor`` (``wagtail.edit``); publishing logs ``wagtail.publish``, sends Wagtail's
    ``published`` signal, which schedules one delivery per channel (after commit, the jobs are
    enqueued); starting the workflow notifies Coordinación. No network is called. ``actor`` may
    be None (a page published by a scheduled job), in which case the post needs approval like
    any non-Coordinación author's.
    """
    channels = list(channels)
    approval = needs_approval(channels, actor)
    if not approval and actor is not None and not policy_registry.get(post).user_has_permission(
            actor, "publish"):
        raise PublishPermissionError("You do not have permission to publish this object.")
    # Field validation without the lookups: the caller took the foreign keys from the actor's
    # scope, and the database enforces the one-post-per-Idempotency-Key constraint itself.
    post.full_clean(exclude=["institution", "campaign", "author", "source_page"],
                    validate_unique=False, validate_constraints=False)
    with transaction.atomic(), _index_once(post):
        post.channels.set(channels)
        post.save()
        revision = post.save_revision(user=actor, log_action=True, clean=False)
        if approval:
            workflow = post.get_workflow()
            if workflow is not None:
                workflow.start(post, actor)
        else:
            _publish_new(post, revision, actor)
    return post


def _publish_new(post: Post, revision, actor) -> None:
    """Wagtail's ``revision.publish()`` for a post created a moment ago from this very object.

    ``PublishRevisionAction`` rebuilds the object from the revision's JSON, saves it whole
    (every cluster child again) and looks for a previous revision, a title change and a
    workflow to cancel; for a post that has just been saved with its only revision none of
    that can apply. The outcome is the same (checked against Wagtail's action by
    ``tests/campaigns/test_api_speed.py``): live, ``live_revision``, first and last published
    times, no unpublished changes, the ``wagtail.publish`` log entry, the ``published`` signal.
    """
    now = timezone.now()
    post.live, post.has_unpublished_changes, post.expired = True, False, False
    post.live_revision = revision
    post.first_published_at = post.first_published_at or now
    post.last_published_at = now
    post.save(update_fields=["live", "has_unpublished_changes", "expired", "live_revision",
                             "first_published_at", "last_published_at"])
    published.send(sender=Post, instance=post, revision=revision)
    log(instance=post, action="wagtail.publish", user=actor, revision=revision)
