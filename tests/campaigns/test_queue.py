"""«Añadir a la cola»: posting schedules per channel and the next free slot of a post."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import connection
from django.urls import reverse

from campaigns.enums import DeliveryState, Weekday
from campaigns.models import Post, PostingSlot
from campaigns.queue import QueueError, add_to_queue, next_free_slot
from campaigns.sendtime import MEXICO_CITY

from .factories import PostFactory, make_channel, publish_post

MONDAY_APRIL = datetime(2027, 4, 5, 8, 0, tzinfo=MEXICO_CITY)  # a Monday; DST before 2023


def _slots(channel, *pairs):
    for weekday, hour in pairs:
        PostingSlot.objects.create(channel=channel, weekday=weekday, time=time(*hour))


def _draft(officer, channels, **fields):
    post = PostFactory(author=officer, institution=officer.staff_profile.institution,
                       channels=channels, **fields)
    post.save_revision(user=officer)
    return post


def queue_url(post):
    return reverse("campaigns_queue_post", args=[post.pk])


# --- Picking the slot ---------------------------------------------------------------------------

def test_a_slot_is_mexico_city_wall_clock_time_all_year_without_daylight_saving(tg_channel):
    _slots(tg_channel, (Weekday.MONDAY, (10, 0)))
    april = next_free_slot([tg_channel], after=MONDAY_APRIL)
    january = next_free_slot([tg_channel], after=datetime(2027, 1, 4, 8, 0, tzinfo=MEXICO_CITY))
    # UTC-6 all year round since 2022: 10:00 in Mexico City is 16:00 UTC in April and January.
    assert april.astimezone(UTC) == datetime(2027, 4, 5, 16, 0, tzinfo=UTC)
    assert january.astimezone(UTC) == datetime(2027, 1, 4, 16, 0, tzinfo=UTC)


def test_the_queue_wraps_to_next_week_after_the_last_slot_of_this_one(tg_channel):
    _slots(tg_channel, (Weekday.MONDAY, (9, 0)), (Weekday.WEDNESDAY, (9, 0)))
    saturday = datetime(2027, 4, 10, 12, 0, tzinfo=MEXICO_CITY)
    assert next_free_slot([tg_channel], after=saturday) == datetime(2027, 4, 12, 9, 0, tzinfo=MEXICO_CITY)
    # A slot at the very moment asked is not in the future any more.
    wednesday_nine = datetime(2027, 4, 7, 9, 0, tzinfo=MEXICO_CITY)
    assert next_free_slot([tg_channel], after=wednesday_nine) == datetime(
        2027, 4, 12, 9, 0, tzinfo=MEXICO_CITY)


def test_a_slot_held_by_another_scheduled_post_of_the_channel_is_skipped(officer, tg_channel):
    _slots(tg_channel, (Weekday.MONDAY, (10, 0)), (Weekday.MONDAY, (17, 30)))
    publish_post(officer, [tg_channel], publish_at=datetime(2027, 4, 5, 10, 0, tzinfo=MEXICO_CITY))
    assert next_free_slot([tg_channel], after=MONDAY_APRIL) == datetime(
        2027, 4, 5, 17, 30, tzinfo=MEXICO_CITY)


def test_a_draft_holds_no_slot(officer, tg_channel):
    _slots(tg_channel, (Weekday.MONDAY, (10, 0)))
    PostFactory(channels=[tg_channel], publish_at=datetime(2027, 4, 5, 10, 0, tzinfo=MEXICO_CITY))
    assert next_free_slot([tg_channel], after=MONDAY_APRIL).day == 5


def test_the_slot_must_be_free_and_in_the_schedule_of_every_channel(officer, infoem, tg_channel):
    x = make_channel("x", infoem)
    _slots(tg_channel, (Weekday.MONDAY, (10, 0)), (Weekday.TUESDAY, (10, 0)))
    _slots(x, (Weekday.MONDAY, (10, 0)), (Weekday.TUESDAY, (10, 0)), (Weekday.MONDAY, (12, 0)))
    publish_post(officer, [x], publish_at=datetime(2027, 4, 5, 10, 0, tzinfo=MEXICO_CITY))
    # Monday 10:00 is taken on X, Monday 12:00 is not in Telegram's schedule.
    assert next_free_slot([tg_channel, x], after=MONDAY_APRIL) == datetime(
        2027, 4, 6, 10, 0, tzinfo=MEXICO_CITY)


def test_channels_without_a_common_hour_are_told_so(infoem, tg_channel):
    x = make_channel("x", infoem)
    _slots(tg_channel, (Weekday.MONDAY, (10, 0)))
    _slots(x, (Weekday.MONDAY, (11, 0)))
    with pytest.raises(QueueError, match="ningún horario de publicación en común"):
        next_free_slot([tg_channel, x], after=MONDAY_APRIL)


def test_a_channel_without_a_schedule_is_told_so(tg_channel):
    with pytest.raises(QueueError, match="no tiene horarios de publicación"):
        next_free_slot([tg_channel], after=MONDAY_APRIL)


def test_when_every_slot_of_the_horizon_is_taken_the_officer_is_told(officer, tg_channel):
    from campaigns.queue import HORIZON_WEEKS

    _slots(tg_channel, (Weekday.MONDAY, (10, 0)))
    first = datetime(2027, 4, 5, 10, 0, tzinfo=MEXICO_CITY)
    for week in range(HORIZON_WEEKS + 1):
        publish_post(officer, [tg_channel], title=f"Semana {week}",
                     publish_at=first + timedelta(weeks=week))
    with pytest.raises(QueueError, match="están ocupados"):
        next_free_slot([tg_channel], after=MONDAY_APRIL)


# --- Queueing a post ----------------------------------------------------------------------------

def test_queueing_a_draft_publishes_it_at_the_next_free_slot(officer, tg_channel):
    _slots(tg_channel, *[(day, (10, 0)) for day in Weekday.values])
    post = _draft(officer, [tg_channel])
    moment = add_to_queue(officer, post.pk)
    post.refresh_from_db()
    assert post.live and post.publish_at == moment
    delivery = post.deliveries.get()
    assert delivery.state == DeliveryState.PENDING and delivery.due_at == moment
    # The next post of the channel gets the following day, not the same slot.
    other = _draft(officer, [tg_channel])
    assert add_to_queue(officer, other.pk) == moment + timedelta(days=1)


def test_queueing_a_post_for_an_snt_channel_waits_for_coordinacion(officer, tg_channel):
    snt = make_channel("telegram", None, name="Canal del SNT")
    for channel in (tg_channel, snt):
        _slots(channel, *[(day, (10, 0)) for day in Weekday.values])
    post = _draft(officer, [tg_channel, snt])
    moment = add_to_queue(officer, post.pk)
    post.refresh_from_db()
    assert not post.live and post.workflow_in_progress
    assert post.publish_at == moment and not post.deliveries.exists()
    # Waiting for approval, it holds its slot.
    assert next_free_slot([tg_channel]) == moment + timedelta(days=1)


def test_a_post_already_sent_is_not_requeued(officer, tg_channel):
    _slots(tg_channel, *[(day, (10, 0)) for day in Weekday.values])
    post = publish_post(officer, [tg_channel])
    post.deliveries.update(state=DeliveryState.SENT, attempts=1)
    with pytest.raises(QueueError, match="ya se envió"):
        add_to_queue(officer, post.pk)
    post.refresh_from_db()
    assert post.publish_at is None


def test_a_scheduled_post_moves_to_the_slot_with_its_delivery(officer, tg_channel):
    _slots(tg_channel, *[(day, (10, 0)) for day in Weekday.values])
    post = publish_post(officer, [tg_channel], publish_at=datetime(2027, 4, 5, 13, 0, tzinfo=MEXICO_CITY))
    moment = add_to_queue(officer, post.pk)
    assert post.deliveries.get().due_at == moment
    assert Post.objects.get(pk=post.pk).publish_at == moment


def test_an_officer_cannot_queue_another_institutions_post(officer, other_officer, tg_channel):
    _slots(tg_channel, *[(day, (10, 0)) for day in Weekday.values])
    post = _draft(officer, [tg_channel])
    with pytest.raises(QueueError, match="No existe esa publicación"):
        add_to_queue(other_officer, post.pk)
    post.refresh_from_db()
    assert post.publish_at is None and not post.live


# --- The screen -----------------------------------------------------------------------------------

def test_the_queue_screen_proposes_the_slot_and_confirming_says_when_in_spanish(
        officer_client, officer, tg_channel):
    _slots(tg_channel, *[(day, (10, 0)) for day in Weekday.values])
    post = _draft(officer, [tg_channel])
    page = officer_client.get(queue_url(post)).content.decode()
    assert "El próximo horario libre de estos canales es el" in page and "a las 10:00" in page
    response = officer_client.post(queue_url(post), follow=True)
    post.refresh_from_db()
    local = post.publish_at.astimezone(MEXICO_CITY)
    assert local.hour == 10 and post.live
    text = response.content.decode()
    assert "Se programó para el" in text and "a las 10:00 (hora del centro de México)" in text


def test_the_queue_screen_says_why_a_post_cannot_be_queued(officer_client, officer, tg_channel):
    post = _draft(officer, [tg_channel])
    page = officer_client.get(queue_url(post)).content.decode()
    assert "no tiene horarios de publicación" in page
    response = officer_client.post(queue_url(post), follow=True)
    assert "no tiene horarios de publicación" in response.content.decode()
    post.refresh_from_db()
    assert not post.live and post.publish_at is None


@pytest.mark.parametrize("suffix", ["0", "99999999999999999999999", "abc", "%00"])
def test_the_queue_screen_answers_garbage_ids_without_a_500(officer_client, suffix):
    response = officer_client.get(f"/admin/campanas/publicaciones/{suffix}/cola/")
    assert response.status_code == 404


def test_the_queue_screen_hides_other_institutions_posts_and_refuses_other_methods(
        client, officer, other_officer, tg_channel):
    post = _draft(officer, [tg_channel])
    client.force_login(officer)
    assert client.put(queue_url(post)).status_code == 405
    client.force_login(other_officer)
    assert client.get(queue_url(post)).status_code == 404
    assert client.post(queue_url(post)).status_code == 404
    post.refresh_from_db()
    assert not post.live


def test_an_officer_edits_the_posting_schedule_of_own_channel(officer_client, tg_channel, fake_telegram):
    edit = reverse("wagtailsnippets_campaigns_channel:edit", args=[tg_channel.pk])
    form = {"name": tg_channel.name, "kind": "telegram", "chat_id": "@infoem", "active": "on",
            "institution": tg_channel.institution_id,
            "slots-TOTAL_FORMS": "2", "slots-INITIAL_FORMS": "0", "slots-MIN_NUM_FORMS": "0",
            "slots-MAX_NUM_FORMS": "1000",
            "slots-0-weekday": "3", "slots-0-time": "10:00", "slots-0-ORDER": "1",
            "slots-1-weekday": "3", "slots-1-time": "10:00", "slots-1-ORDER": "2"}
    response = officer_client.post(edit, form)
    assert response.status_code == 200  # the same hour twice is refused
    assert not PostingSlot.objects.exists()
    form["slots-1-time"] = "17:30"
    response = officer_client.post(edit, form)
    assert response.status_code == 302
    assert sorted(str(s) for s in tg_channel.slots.all()) == ["jueves 10:00", "jueves 17:30"]


# --- Two officers at once ---------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_two_officers_queueing_at_once_get_different_slots(reference_data, infoem):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite runs one writer at a time")
    from network.models import StaffProfile
    from network.rules import COMMUNICATIONS
    from tests.factories import UserFactory

    channel = make_channel("telegram", infoem)
    _slots(channel, *[(day, (10, 0)) for day in Weekday.values])
    officers = []
    for n in range(2):
        user = UserFactory(username=f"oficial-{n}", groups=[COMMUNICATIONS])
        StaffProfile.objects.create(user=user, institution=infoem)
        officers.append(user)
    posts = [_draft(user, [channel]) for user in officers]
    barrier = threading.Barrier(2)

    def queue(user, post):
        try:
            barrier.wait(timeout=60)
            return add_to_queue(user, post.pk)
        finally:
            connection.close()

    with ThreadPoolExecutor(2) as pool:
        futures = [pool.submit(queue, u, p) for u, p in zip(officers, posts, strict=True)]
        moments = [f.result() for f in futures]
    assert len(set(moments)) == 2
    assert sorted(Post.objects.values_list("publish_at", flat=True)) == sorted(moments)
