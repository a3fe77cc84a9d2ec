"""Creating a post and sending it on its way: the one function the API and page sharing use.

The admin's post editor goes through Wagtail's own publish and workflow actions, which end in
the same place (``campaigns.signals`` schedules the deliveries when a post goes live).
"""

from __future__ import annotations

from django.db import transaction

from .models import Post
from .validation import needs_approval


def create_and_submit(actor, post: Post, channels) -> Post:
    """Save a new post with its target channels, then publish it, or, when one of the channels
    needs Coordinación's approval (SNT channels), start the approval workflow instead.

    The caller builds ``post`` (fields, tags, images as cluster children) and may wrap the call
    in its own transaction. Side effects: the post and its first revision are saved and logged
    as ``actor``; publishing schedules one delivery per channel (after commit, the jobs are
    enqueued); starting the workflow notifies Coordinación. ``actor`` may be None (a page
    published by a scheduled job), in which case the post needs approval like any non-
    Coordinación author's.
    """
    channels = list(channels)
    with transaction.atomic():
        post.channels.set(channels)
        post.save()
        revision = post.save_revision(user=actor, log_action=True)
        if needs_approval(channels, actor):
            workflow = post.get_workflow()
            if workflow is not None:
                workflow.start(post, actor)
        else:
            revision.publish(user=actor)
    return post
