"""The delivery engine with the real clients against the fake networks, in process."""

from datetime import timedelta

from django.utils import timezone

from campaigns import delivery
from campaigns.devtools.fake_networks import Fault
from campaigns.enums import ChannelHealth, DeliveryState
from campaigns.models import Delivery, PostImage

from .conftest import make_image, publish_post


def run(post):
    for pk in post.deliveries.values_list("pk", flat=True):
        delivery.perform(pk)
    return {d.channel.kind: d for d in post.deliveries.select_related("channel")}


def test_post_goes_out_once_on_each_channel_with_the_system_hashtag(
        officer, tg_channel, x_channel, fake_telegram, fake_x):
    post = publish_post(officer, [tg_channel, x_channel], text="Día del <acceso> & la transparencia.",
                        link="https://snt.org.mx/dia")
    post.tags.add("datos abiertos")
    post.save()
    result = run(post)
    assert result["telegram"].state == DeliveryState.SENT
    assert result["x"].state == DeliveryState.SENT
    [message] = fake_telegram.messages
    assert message["parse_mode"] == "HTML"
    assert "&lt;acceso&gt; &amp; la" in message["text"]
    assert "#SNT" in message["text"] and "#DatosAbiertos" in message["text"]
    [tweet] = fake_x.tweets
    assert tweet["text"].endswith("#SNT #DatosAbiertos")
    assert result["x"].external_url == f"https://x.com/SNT_mx/status/{tweet['id']}"
    assert result["telegram"].external_url.startswith("https://t.me/snt_canal/")
    # A second message for the same delivery finds nothing to claim.
    assert delivery.perform(result["x"].pk) == "skipped"
    assert len(fake_x.tweets) == 1


def test_publishing_a_new_revision_does_not_post_twice(officer, x_channel, fake_x):
    post = publish_post(officer, [x_channel])
    run(post)
    post.text = "Texto corregido"
    post.save_revision(user=officer).publish(user=officer)
    assert post.deliveries.count() == 1
    run(post)
    assert len(fake_x.tweets) == 1


def test_rate_limit_is_retried_later_without_sleeping(officer, tg_channel, fake_telegram):
    fake_telegram.script("sendMessage", Fault(status=429, retry_after=7))
    post = publish_post(officer, [tg_channel])
    started = timezone.now()
    [d] = run(post).values()
    assert (timezone.now() - started).total_seconds() < 5  # no sleeping inside the task
    assert d.state == DeliveryState.PENDING
    assert d.next_attempt_at >= started + timedelta(seconds=7)
    d.channel.refresh_from_db()
    assert d.channel.paused_until >= started + timedelta(seconds=7)
    # Once the pause is over, it goes out.
    Delivery.objects.filter(pk=d.pk).update(next_attempt_at=timezone.now())
    type(d.channel).objects.filter(pk=d.channel.pk).update(paused_until=None)
    assert delivery.perform(d.pk) == "sent"
    assert len(fake_telegram.messages) == 1


def test_x_rate_limit_honours_the_reset_header(officer, x_channel, fake_x):
    fake_x.script("POST /2/tweets", Fault(status=429, retry_after=30))
    post = publish_post(officer, [x_channel])
    [d] = run(post).values()
    assert d.state == DeliveryState.PENDING
    assert d.next_attempt_at >= timezone.now() + timedelta(seconds=25)


def test_bad_request_is_permanent_not_retried(officer, tg_channel, fake_telegram, mailoutbox):
    officer.email = "oficial@infoem.org.mx"
    officer.save()
    fake_telegram.script("sendMessage", Fault(status=400, description="Bad Request: chat not found"))
    post = publish_post(officer, [tg_channel])
    [d] = run(post).values()
    assert d.state == DeliveryState.FAILED
    assert "no encuentra el chat" in d.error
    assert fake_telegram.count("sendMessage") == 1


def test_server_errors_are_retried_with_backoff(officer, x_channel, fake_x):
    fake_x.script("POST /2/tweets", Fault(status=503), times=2)
    post = publish_post(officer, [x_channel])
    d = post.deliveries.get()
    for _ in range(3):
        Delivery.objects.filter(pk=d.pk).update(next_attempt_at=timezone.now())
        delivery.perform(d.pk)
    d.refresh_from_db()
    assert d.state == DeliveryState.SENT
    assert d.attempts == 3
    assert len(fake_x.tweets) == 1


def test_revoked_token_fails_and_flags_the_channel(officer, tg_channel, fake_telegram):
    fake_telegram.tokens.clear()
    post = publish_post(officer, [tg_channel])
    [d] = run(post).values()
    assert d.state == DeliveryState.FAILED
    assert "token del bot" in d.error
    tg_channel.refresh_from_db()
    assert tg_channel.health == ChannelHealth.FAILING


def test_dropped_connection_after_the_request_left_is_uncertain_and_not_resent(
        officer, x_channel, fake_x, settings):
    settings.ENLACE_NETWORK_READ_TIMEOUT = 1
    fake_x.script("POST /2/tweets", Fault(drop=True))
    post = publish_post(officer, [x_channel])
    [d] = run(post).values()
    assert d.state == DeliveryState.UNCERTAIN
    delivery.sweep(timezone.now() + timedelta(hours=1))
    delivery.dispatch(timezone.now() + timedelta(hours=1))
    assert delivery.perform(d.pk) == "skipped"
    d.refresh_from_db()
    assert d.state == DeliveryState.UNCERTAIN


def test_images_go_to_x_through_v2_media_upload_and_to_telegram_as_an_album(
        officer, tg_channel, x_channel, fake_telegram, fake_x):
    post = publish_post(officer, [tg_channel, x_channel])
    for _ in range(2):
        post.images.add(PostImage(image=make_image()))
    post.save()
    result = run(post)
    assert result["x"].state == DeliveryState.SENT
    assert fake_x.count("POST /2/media/upload") == 2
    assert len(fake_x.tweets[0]["media_ids"]) == 2
    assert fake_telegram.messages[0]["method"] == "sendMediaGroup"
    assert fake_telegram.messages[0]["photos"] == 2


def test_future_posts_wait_for_their_time(officer, tg_channel, fake_telegram):
    when = timezone.now() + timedelta(hours=2)
    post = publish_post(officer, [tg_channel], publish_at=when)
    [d] = run(post).values()
    assert d.state == DeliveryState.PENDING and d.due_at == when
    assert fake_telegram.messages == []


def test_unpublishing_cancels_what_has_not_left(officer, tg_channel, fake_telegram):
    post = publish_post(officer, [tg_channel], publish_at=timezone.now() + timedelta(hours=1))
    post.unpublish(user=officer)
    assert post.deliveries.get().state == DeliveryState.CANCELLED


def test_sweeper_returns_claims_that_never_reached_the_network(officer, tg_channel, fake_telegram):
    post = publish_post(officer, [tg_channel])
    d = post.deliveries.get()
    assert delivery.claim(d.pk)  # a worker claimed it and died before sending
    later = timezone.now() + timedelta(hours=1)
    assert delivery.sweep(later)["returned"] == 1
    assert delivery.perform(d.pk) == "sent"
    assert len(fake_telegram.messages) == 1
