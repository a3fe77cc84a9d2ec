"""Celery jobs of the campaigns: delivery, dispatch, sweeping, checks, metrics, amplification.

Thin on purpose: each job has an explicit name, takes keyword ids, returns quietly when its row
is gone, and calls one domain function.
"""

from __future__ import annotations

from celery import shared_task


@shared_task(name="campaigns.deliver", acks_late=True, ignore_result=True)
def deliver(*, delivery_id: int) -> str:
    from .delivery import perform

    return perform(delivery_id)


@shared_task(name="campaigns.dispatch", ignore_result=True)
def dispatch() -> int:
    from .delivery import dispatch as run

    return run()


@shared_task(name="campaigns.sweep", ignore_result=True)
def sweep() -> dict:
    from .delivery import sweep as run

    return run()


@shared_task(name="campaigns.verify_uncertain", acks_late=True, ignore_result=True)
def verify_uncertain(*, delivery_id: int) -> str:
    from .delivery import verify_uncertain as verify

    return verify(delivery_id)


@shared_task(name="campaigns.post_created", acks_late=True, ignore_result=True)
def post_created(*, post_id: int, delivery_ids: list[int]) -> None:
    """A post created through the API or page sharing: its indexes and queue messages
    (idempotent, so a worker that dies in the middle leaves it to be run again)."""
    from .posts import after_create

    after_create(post_id, delivery_ids)


@shared_task(name="campaigns.prepare_renditions", ignore_result=True)
def prepare_renditions(*, post_id: int) -> int:
    """Make the per-network renditions of a post's images off the request path."""
    from network.domain.images import rendition

    from .models import Post
    from .rendering import RENDITION_SPECS

    post = Post.objects.filter(pk=post_id).first()
    if post is None:
        return 0
    kinds = set(post.channels.values_list("kind", flat=True))
    made = 0
    for image in post.ordered_images():
        for kind in kinds:
            if kind in RENDITION_SPECS:
                rendition(image, RENDITION_SPECS[kind])  # a delivery may be making it now
                made += 1
    return made


@shared_task(name="campaigns.check_channels", ignore_result=True)
def check_channels() -> int:
    from .channels import check_all

    return check_all()


@shared_task(name="campaigns.pull_metrics", ignore_result=True)
def pull_metrics() -> int:
    from .metrics import pull

    return pull()


@shared_task(name="campaigns.request_amplification", ignore_result=True)
def request_amplification(*, post_id: int) -> int:
    from .amplify import request

    return request(post_id)


@shared_task(name="campaigns.read_feeds", ignore_result=True)
def read_feeds() -> int:
    """New items of the institutions' RSS/Atom feeds become draft posts (never sent)."""
    from .feeds import read_all

    return read_all()


@shared_task(name="campaigns.read_feed", ignore_result=True)
def read_feed(*, feed_id: int) -> int | None:
    """One feed, right after an officer saves it (so errors show at once)."""
    from .feeds import read

    return read(feed_id)
