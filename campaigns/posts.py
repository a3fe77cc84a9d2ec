"""Creating a post and sending it on its way: the one function the API and page sharing use.

The admin's post editor goes through Wagtail's own publish and workflow actions, which end in
the same place (``campaigns.signals`` schedules the deliveries when a post goes live).
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from datetime import timedelta

from asgiref.local import Local
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from modelcluster.models import get_all_child_relations
from modelsearch import index
from wagtail.actions.publish_revision import PublishPermissionError
from wagtail.log_actions import get_active_log_context
from wagtail.log_actions import registry as log_registry
from wagtail.models import ReferenceIndex, Revision
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.signals import published

from . import jobs
from .models import Post
from .rules import can_publish_posts
from .validation import needs_approval

log = logging.getLogger(__name__)

_deferred = Local()


def search_index_deferred() -> bool:
    """True while :func:`create_and_submit` saves a post and leaves its indexing for later."""
    return getattr(_deferred, "value", False)


@contextmanager
def _indexing_deferred():
    """Saves inside write neither the search index nor Wagtail's reference index (each write
    costs about five queries); the caller writes them once, afterwards."""
    _deferred.value = True
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        _deferred.value = False


def index_post(post: Post) -> None:
    """The search index and Wagtail's reference index of one post (idempotent)."""
    index.insert_or_update_object(post)
    ReferenceIndex.create_or_update_for_object(post)


def create_and_submit(actor, post: Post, channels) -> Post:
    """Save a new post with its target channels, then publish it, or, when one of the channels
    needs Coordinación's approval (SNT channels), start the approval workflow instead.

    The caller builds ``post`` (fields, tags, images as cluster children), has checked the
    channels against the actor's scope (``validation.validate_post``) and may wrap the call in
    its own transaction. Side effects, all in one transaction: the post, its children, its one
    revision and its log entries as ``actor`` (``wagtail.edit``, then ``wagtail.publish`` or
    the workflow's), and, when it is published, one delivery per channel. After the commit,
    one job (``campaigns.post_created``) writes the search and reference indexes and enqueues
    the deliveries; if the broker refuses it, that work is done at once instead. No network is
    called. ``actor`` may be None (a page published by a scheduled job), in which case the post
    needs approval like any non-Coordinación author's.
    """
    channels = list(channels)
    approval = needs_approval(channels, actor)
    if not approval and actor is not None and not can_publish_posts(actor):
        raise PublishPermissionError("You do not have permission to publish this object.")
    # Field validation without the lookups: the caller took the foreign keys from the actor's
    # scope, and the database enforces the one-post-per-Idempotency-Key constraint itself.
    post.full_clean(exclude=["institution", "campaign", "author", "source_page"],
                    validate_unique=False, validate_constraints=False)
    if approval:
        _submit_for_approval(actor, post, channels)
        return post
    # No savepoint of its own: whatever fails here fails the caller's transaction too.
    with transaction.atomic(savepoint=False), _indexing_deferred():
        deliveries = _publish_new(actor, post, channels)
    jobs.on_commit(_after_commit, post.pk, [d.pk for d in deliveries])
    return post


def _submit_for_approval(actor, post: Post, channels) -> None:
    """Wagtail's own path: save, a revision (logged), and the approval workflow."""
    with transaction.atomic(), _indexing_deferred():
        post.channels.set(channels)
        post.save()
        post.save_revision(user=actor, log_action=True, clean=False)
        workflow = post.get_workflow()
        if workflow is not None:
            workflow.start(post, actor)
    index_post(post)


def _publish_new(actor, post: Post, channels) -> list:
    """A new post, live at once, written in as few statements as it takes.

    Wagtail's ``save()``, ``save_revision()`` and ``revision.publish()`` would save the row
    three times, write each child relation after reading it back, read the children again for
    the revision's JSON, rebuild the object from that JSON to save it whole once more and
    validate every log entry against the database (about 50 queries). For a post that did not
    exist a moment ago none of those reads can find anything, so this writes the same rows
    directly: the post already live, its children in one INSERT each, the revision, the
    revision pointers, one delivery per channel and both log entries in one INSERT. The outcome
    is Wagtail's (``tests/campaigns/test_api_speed.py`` compares them): live, ``live_revision``,
    first and last published times, no unpublished changes, the ``wagtail.edit`` and
    ``wagtail.publish`` entries of the history, the ``published`` signal.
    """
    from .delivery import schedule_new

    now = timezone.now()
    post.live, post.has_unpublished_changes, post.expired = True, False, False
    post.pending_after_create = True  # until after_create has run (prepare_lost)
    post.first_published_at = post.first_published_at or now
    post.last_published_at = now
    post.channels.set(channels)
    for relation in get_all_child_relations(post):  # a new post has no others than those given
        name = relation.get_accessor_name()
        if name not in getattr(post, "_cluster_related_objects", {}):
            setattr(post, name, [])
    models.Model.save(post)  # the row alone; its children follow in bulk
    _insert_children(post)
    revision = Revision.objects.create(
        content_object=post, base_content_type=post.get_base_content_type(), user=actor,
        content=post.serializable_data(), object_str=str(post), created_at=now)
    post.latest_revision = post.live_revision = revision
    Post.objects.filter(pk=post.pk).update(latest_revision=revision, live_revision=revision)
    deliveries = schedule_new(post, channels)
    _keep_in_memory(post, "deliveries", deliveries)
    post._deliveries_scheduled = True  # for campaigns.signals.post_published
    published.send(sender=Post, instance=post, revision=revision)
    _log_creation(actor, post, revision, now)
    return deliveries


def _insert_children(post: Post) -> None:
    """Write the cluster's children of a post that was inserted a moment ago: one INSERT per
    relation that has any, none for those without. They stay in memory too (the answer shows
    them without reading them back)."""
    pending = getattr(post, "_cluster_related_objects", {})
    for name, items in pending.items():
        if not items:
            continue
        field = Post._meta.get_field(name) if name == "channels" else None
        if field is not None and field.many_to_many:
            through = field.remote_field.through
            through.objects.bulk_create([through(post_id=post.pk, channel_id=c.pk) for c in items])
        else:
            relation = getattr(Post, name).rel
            for item in items:
                setattr(item, relation.field.name, post)
            relation.related_model.objects.bulk_create(items)


def _keep_in_memory(post: Post, relation: str, rows: list) -> None:
    """``post.<relation>.all()`` answers ``rows`` without a query (as a prefetch leaves it)."""
    queryset = getattr(post, relation).all()
    queryset._result_cache, queryset._prefetch_done = rows, True
    post._prefetched_objects_cache = {**getattr(post, "_prefetched_objects_cache", {}),
                                      relation: queryset}


def _log_creation(actor, post: Post, revision, when) -> None:
    """``wagtail.edit`` and ``wagtail.publish``, as ``save_revision(log_action=True)`` and
    ``publish()`` log them, in one INSERT (both actions are Wagtail's registered ones)."""
    model = log_registry.get_log_model_for_instance(post)
    if model is None:
        return
    context = get_active_log_context()
    common = {
        "content_type": ContentType.objects.get_for_model(post, for_concrete_model=False),
        "label": str(post) or f"Post object ({post.pk})", "object_id": str(post.pk),
        "user": actor or context.user, "uuid": context.uuid, "revision": revision, "data": {},
    }
    model.objects.bulk_create([
        model(action="wagtail.edit", timestamp=when, content_changed=True, **common),
        model(action="wagtail.publish", timestamp=timezone.now(), content_changed=True, **common),
    ])


def _after_commit(post_id: int, delivery_ids: list[int]) -> None:
    """Hand the rest to a worker; if the broker refuses, do it here and now."""
    if not jobs.send("campaigns.post_created", post_id=post_id, delivery_ids=delivery_ids):
        after_create(post_id, delivery_ids)


def after_create(post_id: int, delivery_ids: list[int]) -> None:
    """What a new post needs once committed, idempotent (the ``campaigns.post_created`` job):
    its search and reference indexes, its deliveries' queue messages and its images'
    renditions. A delivery whose message cannot be sent is left to the dispatcher."""
    from .delivery import enqueue

    post = Post.objects.filter(pk=post_id).first()
    if post is None:
        return
    index_post(post)
    enqueue(delivery_ids)
    if post.images.exists():
        jobs.send("campaigns.prepare_renditions", post_id=post_id)
    if post.pending_after_create:
        Post.objects.filter(pk=post_id, pending_after_create=True).update(pending_after_create=False)


def prepare_lost(now, limit: int = 100) -> int:
    """Run :func:`after_create` for posts whose ``campaigns.post_created`` job was lost.

    A broker that restarts empty loses the jobs it held; the dispatcher finds the deliveries
    again, but nothing else would index those posts (the admin's search would never find
    them). A post still marked a while after it was created lost its job (or its worker
    died): running it again is harmless, as the job is idempotent. Called by the sweeper.
    """
    from django.conf import settings

    created_before = now - timedelta(seconds=max(60.0, settings.ENLACE_LOST_AFTER))
    lost = list(Post.objects.filter(pending_after_create=True, created_at__lt=created_before)
                .order_by("pk").values_list("pk", flat=True)[:limit])
    for post_id in lost:
        after_create(post_id, [])  # the dispatcher enqueues its deliveries
    if lost:
        log.warning("Prepared again %s posts whose post_created job was lost", len(lost))
    return len(lost)
