"""«Añadir a la cola» must not be a way around the editor's rules: a post another person locked
for editing, or a published post with changes nobody published yet, is not queued (queueing
publishes the latest version). The same rules as the calendar's drag and drop."""

from datetime import time

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.enums import Weekday
from campaigns.models import Post, PostingSlot
from campaigns.queue import QueueError, add_to_queue
from network.models import StaffProfile
from network.rules import COMMUNICATIONS
from tests.factories import UserFactory

from .factories import PostFactory, publish_post


@pytest.fixture
def colleague(db, infoem):
    """A second communications officer of INFOEM."""
    user = UserFactory(username="oficial-infoem-2", groups=[COMMUNICATIONS])
    StaffProfile.objects.create(user=user, institution=infoem)
    return user


@pytest.fixture
def daily(tg_channel):
    for day in Weekday.values:
        PostingSlot.objects.create(channel=tg_channel, weekday=day, time=time(10, 0))
    return tg_channel


def _state(post):
    post = Post.objects.get(pk=post.pk)
    return post.live, post.publish_at, post.text, post.revisions.count(), post.deliveries.count()


def test_a_post_locked_by_a_colleague_is_not_queued(officer, colleague, infoem, daily, client):
    post = PostFactory(author=colleague, institution=infoem, channels=[daily])
    post.save_revision(user=colleague)
    Post.objects.filter(pk=post.pk).update(locked=True, locked_by=colleague,
                                           locked_at=timezone.now())
    before = _state(post)
    with pytest.raises(QueueError, match="bloqueada"):
        add_to_queue(officer, post.pk)
    client.force_login(officer)
    confirm = client.get(reverse("campaigns_queue_post", args=[post.pk])).content.decode()
    assert "bloqueada para edición" in confirm and "queue-proposal" not in confirm
    page = client.post(reverse("campaigns_queue_post", args=[post.pk]), follow=True)
    assert "bloqueada" in page.content.decode()
    assert _state(post) == before
    # The person who holds the lock may.
    assert add_to_queue(colleague, post.pk)


def test_a_published_post_with_unpublished_changes_is_not_queued(officer, colleague, daily):
    post = publish_post(officer, [daily], text="Texto aprobado.")
    draft = post.get_latest_revision_as_object()
    draft.text = "Cambio que nadie ha revisado."
    draft.save_revision(user=colleague)
    before = _state(post)
    with pytest.raises(QueueError, match="cambios sin publicar"):
        add_to_queue(officer, post.pk)
    assert _state(post) == before
    assert Post.objects.get(pk=post.pk).live_revision.as_object().text == "Texto aprobado."
