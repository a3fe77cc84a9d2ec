"""The delivery engine with the real clients against the fake networks, in process."""

import queue
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns import delivery, jobs, rendering
from campaigns.devtools.fake_networks import Fault
from campaigns.enums import AttemptOutcome, ChannelHealth, DeliveryState
from campaigns.models import Delivery, PostImage
from tests.workers import wait_for

from .conftest import make_image, publish_post


def run(post):
    for pk in post.deliveries.values_list("pk", flat=True):
        delivery.perform(pk)
    return {d.channel.kind: d for d in post.deliveries.select_related("channel")}


def attempt_now(delivery_id: int) -> str:
    """The delivery's next attempt, without waiting for its backoff."""
    Delivery.objects.filter(pk=delivery_id).update(next_attempt_at=timezone.now())
    return delivery.perform(delivery_id)


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


def test_x_daily_posting_cap_waits_for_its_own_reset(officer, x_channel, fake_x):
    """X's 24-hour cap (17 posts on the free tier) answers 429 with the 15-minute window's reset
    a few seconds away: retrying at that reset spent every attempt within hours and the
    delivery failed while the day's cap still held. It waits for the day's reset instead."""
    fake_x.script("POST /2/tweets", Fault(status=429, retry_after=5, daily_reset=6 * 3600))
    post = publish_post(officer, [x_channel])
    [d] = run(post).values()
    assert d.state == DeliveryState.PENDING
    assert d.next_attempt_at >= timezone.now() + timedelta(hours=5, minutes=59)
    d.channel.refresh_from_db()
    assert d.channel.paused_until >= timezone.now() + timedelta(hours=5, minutes=59)
    reset = timezone.localtime(d.next_attempt_at).strftime("%H:%M")
    assert "límite diario" in d.error and reset[:2] in d.error
    # No queue message held for six hours (Redis would hand it out again every hour): the
    # dispatcher sends it when the time comes.
    assert d.enqueued_at is None
    assert delivery.dispatch(now=timezone.now()) == 0
    Delivery.objects.filter(pk=d.pk).update(next_attempt_at=timezone.now())  # six hours on
    assert delivery.dispatch() == 1


def test_bad_request_is_permanent_not_retried(officer, tg_channel, fake_telegram, mailoutbox,
                                              django_capture_on_commit_callbacks):
    officer.email = "oficial@infoem.org.mx"
    officer.save()
    fake_telegram.script("sendMessage", Fault(status=400, description="Bad Request: chat not found"))
    post = publish_post(officer, [tg_channel])
    with django_capture_on_commit_callbacks(execute=True):
        [d] = run(post).values()
    assert d.state == DeliveryState.FAILED
    assert "no encuentra el chat" in d.error
    assert fake_telegram.count("sendMessage") == 1
    assert d.next_attempt_at <= timezone.now() and d.attempts == 1  # no retry was scheduled
    # The author is told, in Spanish, what failed and why.
    [message] = [m for m in mailoutbox if "oficial@infoem.org.mx" in m.to and post.title in m.subject]
    assert post.title in message.subject and tg_channel.name in message.subject
    assert "no encuentra el chat" in message.body and "Fallida" in message.body


def test_server_errors_are_retried_with_backoff(officer, x_channel, fake_x):
    fake_x.script("POST /2/tweets", Fault(status=503), times=2)
    post = publish_post(officer, [x_channel])
    d = post.deliveries.get()
    for _ in range(3):
        attempt_now(d.pk)
    d.refresh_from_db()
    assert d.state == DeliveryState.SENT
    assert d.attempts == 3
    assert len(fake_x.tweets) == 1


def test_a_group_migrated_to_a_supergroup_fails_once_and_flags_the_channel(
        officer, tg_channel, fake_telegram):
    # Every later post to the old chat id would fail the same way: the channel is flagged
    # (its officers are told, the dashboard shows it) with the new id to put in it.
    fake_telegram.script("sendMessage", Fault(status=400, migrate_to=-1009876543210))
    post = publish_post(officer, [tg_channel])
    [d] = run(post).values()
    assert d.state == DeliveryState.FAILED
    assert "-1009876543210" in d.error
    assert fake_telegram.count("sendMessage") == 1  # a 400 is not retried
    tg_channel.refresh_from_db()
    assert tg_channel.health == ChannelHealth.FAILING
    assert "-1009876543210" in tg_channel.health_error


@pytest.mark.parametrize("description", ["Bad Request: message is too long",
                                         "Bad Request: message caption is too long"])
def test_a_telegram_refusal_for_length_tells_the_officer_in_spanish(
        officer, tg_channel, fake_telegram, description):
    fake_telegram.script("sendMessage", Fault(status=400, description=description))
    post = publish_post(officer, [tg_channel])
    [d] = run(post).values()
    assert d.state == DeliveryState.FAILED
    assert d.error.startswith("Telegram rechazó el mensaje porque es demasiado largo")
    assert "4096" in d.error and "1024" in d.error
    assert fake_telegram.count("sendMessage") == 1


def test_when_the_attempts_run_out_the_reason_no_longer_promises_a_retry(
        officer, x_channel, fake_x, settings):
    settings.ENLACE_DELIVERY_MAX_ATTEMPTS = 2
    fake_x.script("POST /2/tweets", Fault(status=503), times=2)
    post = publish_post(officer, [x_channel])
    d = post.deliveries.get()
    for _ in range(2):
        attempt_now(d.pk)
    d.refresh_from_db()
    assert d.state == DeliveryState.FAILED
    assert d.error == ("X respondió con un error del servidor. Se agotaron los 2 intentos; ya no se "
                       "reintentará.")


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


# --- Claims under concurrency: separate connections, the database decides ---------------------

def _bare_deliveries(channel, author, count):
    """Published-looking posts with one due delivery each, without enqueueing anything."""
    from campaigns.models import Post

    now = timezone.now()
    posts = Post.objects.bulk_create([Post(title=f"Carrera {i}", text=f"Carrera {i}", author=author,
                                           live=True) for i in range(count)])
    return Delivery.objects.bulk_create([
        Delivery(post=p, channel=channel, due_at=now, next_attempt_at=now) for p in posts])


def _in_thread(function, *args):
    """Run ``function`` on a thread of its own (its own database connection)."""
    from django.db import connection

    def body():
        try:
            return function(*args)
        finally:
            connection.close()

    return body


@pytest.mark.django_db(transaction=True)
def test_many_workers_racing_for_the_same_deliveries_claim_each_once(reference_data, tg_channel):
    from tests.factories import UserFactory

    author = UserFactory(username="carrera")
    rows = _bare_deliveries(tg_channel, author, 30)
    claimers = 8
    barrier = threading.Barrier(claimers)

    def claimer():
        won = []
        for row in rows:
            barrier.wait(timeout=60)
            if delivery.claim(row.pk):
                won.append(row.pk)
        return won

    with ThreadPoolExecutor(claimers) as pool:
        results = [f.result() for f in [pool.submit(_in_thread(claimer)) for _ in range(claimers)]]
    winners = Counter(pk for won in results for pk in won)
    assert winners == Counter({row.pk: 1 for row in rows})
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}


@pytest.mark.django_db(transaction=True)
def test_a_claim_waiting_on_another_claims_row_lock_does_not_take_it_over(reference_data, tg_channel):
    """The second claimer blocks on the first one's uncommitted claim, then must find it taken."""
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("row locks and READ COMMITTED re-checks are PostgreSQL's")
    from tests.factories import UserFactory

    [row] = _bare_deliveries(tg_channel, UserFactory(username="carrera"), 1)
    first_claimed, first_may_commit = threading.Event(), threading.Event()
    second_pid = queue.Queue()

    def first():
        with transaction.atomic():
            token = delivery.claim(row.pk)
            first_claimed.set()
            assert first_may_commit.wait(60)
        return token

    def second():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            second_pid.put(cursor.fetchone()[0])
        assert first_claimed.wait(60)
        return delivery.claim(row.pk)

    def second_is_waiting_for_a_lock() -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
            found = cursor.fetchone()
        return bool(found) and found[0] == "Lock"

    with ThreadPoolExecutor(2) as pool:
        one = pool.submit(_in_thread(first))
        two = pool.submit(_in_thread(second))
        pid = second_pid.get(timeout=60)
        assert first_claimed.wait(60)
        assert wait_for(second_is_waiting_for_a_lock, 60)
        first_may_commit.set()
        tokens = one.result(), two.result()
    assert tokens[0] is not None
    assert tokens[1] is None
    row.refresh_from_db()
    assert row.claim_token == tokens[0] and row.attempts == 1


def test_a_message_that_meets_a_pause_ending_as_it_is_handled_is_rescheduled_not_dropped(
        officer, tg_channel, fake_telegram):
    """The pause ends between reading it and deciding what to do: the message must not vanish."""
    from django.db import connection

    from campaigns.models import Channel

    post = publish_post(officer, [tg_channel])
    d = post.deliveries.get()
    earlier = timezone.now() - timedelta(minutes=5)
    Delivery.objects.filter(pk=d.pk).update(enqueued_at=earlier)
    Channel.objects.filter(pk=tg_channel.pk).update(
        paused_until=timezone.now() + timedelta(seconds=30))
    expired = []

    def the_pause_ends_after_it_was_read(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not expired and "campaigns_channel" in sql:
            expired.append(sql)
            Channel.objects.filter(pk=tg_channel.pk).update(
                paused_until=timezone.now() - timedelta(seconds=1))
        return result

    with connection.execute_wrapper(the_pause_ends_after_it_was_read):
        outcome = delivery.perform(d.pk)
    d.refresh_from_db()
    assert expired
    # Either it went out, or a new message waits for it, or (its time beyond the dispatcher's
    # horizon) the dispatcher sees it has none: never pending with a message taken for sent.
    assert outcome == "sent" or (d.state == DeliveryState.PENDING and (
        d.enqueued_at is None or d.enqueued_at > earlier))


def test_a_due_delivery_whose_message_was_lost_is_enqueued_again_within_seconds(
        officer, tg_channel, x_channel, fake_telegram):
    """A broker restart empties the queue: the dispatcher must not wait minutes to notice."""
    now = timezone.now()
    lost = publish_post(officer, [tg_channel], text="Se perdió su mensaje").deliveries.get()
    waiting = publish_post(officer, [x_channel], text="Su mensaje espera su hora").deliveries.get()
    Delivery.objects.filter(pk=lost.pk).update(
        due_at=now - timedelta(seconds=20), next_attempt_at=now - timedelta(seconds=20),
        enqueued_at=now - timedelta(seconds=40))
    Delivery.objects.filter(pk=waiting.pk).update(
        due_at=now + timedelta(seconds=5), next_attempt_at=now + timedelta(seconds=5),
        enqueued_at=now - timedelta(seconds=40))
    assert delivery.dispatch(now) == 1
    lost.refresh_from_db()
    waiting.refresh_from_db()
    assert lost.enqueued_at >= now
    assert waiting.enqueued_at == now - timedelta(seconds=40)


@pytest.fixture
def broker_down():
    """The broker is unreachable (nothing listens on its port) for this process's producer."""
    from hub.celery import app
    from tests.workers import free_port, use_broker

    original = app.conf.broker_url
    use_broker(app, f"redis://127.0.0.1:{free_port()}/0")
    yield
    use_broker(app, original)


@pytest.mark.django_db(transaction=True)
def test_a_post_saved_while_the_broker_is_down_is_saved_and_answered_not_an_error(
        reference_data, officer, tg_channel, broker_down, fake_telegram):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + Token.objects.create(user=officer).key)
    response = client.post("/api/posts/", {"text": "Aviso con Redis caído", "channels": [tg_channel.pk],
                                           "images": []}, format="json",
                           HTTP_IDEMPOTENCY_KEY="caido-1")
    assert response.status_code == 201, response.content
    d = Delivery.objects.get(post__client_key="caido-1")
    # No message left: the dispatcher must see it at once, not after the re-enqueue delay.
    assert d.state == DeliveryState.PENDING and d.enqueued_at is None
    # Publishing from the admin (with images: a renditions job too) is not broken either.
    post = publish_post(officer, [tg_channel], text="Otro aviso con Redis caído")
    post.images.add(PostImage(image=make_image()))
    post.save()
    post.save_revision(user=officer).publish(user=officer)
    assert post.deliveries.get().enqueued_at is None


def test_the_request_to_the_network_group_is_a_delivery_retried_when_telegram_asks(
        officer, officer_client, x_channel, fake_x, fake_telegram):
    from django.urls import reverse

    from campaigns import amplify
    from campaigns.enums import DeliveryPurpose

    from .conftest import make_channel

    make_channel("telegram", None, name="Red de Vinculación", is_network_group=True)
    fake_telegram.script("sendMessage", Fault(status=429, retry_after=3))
    # A proxy's 429 without retry_after: nothing was sent, retried too (a 5xx would not be:
    # Telegram may answer one after posting, and a bot cannot look).
    fake_telegram.script("sendMessage", Fault(status=429, description="Too Many Requests"))
    post = publish_post(officer, [x_channel], text="Amplifiquemos esto")
    [published] = run(post).values()
    assert published.state == DeliveryState.SENT
    amplify.request(post.pk)
    group = post.deliveries.get(purpose=DeliveryPurpose.AMPLIFICATION)
    started = timezone.now()
    assert delivery.perform(group.pk) == "retry"  # 429: at the time Telegram asked
    group.refresh_from_db()
    assert group.state == DeliveryState.PENDING
    assert group.next_attempt_at >= started + timedelta(seconds=3)
    for _ in range(2):  # the time comes (the pause ends); then the proxy's 429, retried too
        Delivery.objects.filter(pk=group.pk).update(next_attempt_at=timezone.now())
        type(group.channel).objects.filter(pk=group.channel_id).update(paused_until=None)
        delivery.perform(group.pk)
    group.refresh_from_db()
    assert group.state == DeliveryState.SENT and group.attempts == 3
    [message] = fake_telegram.messages
    assert "Amplifiquemos esto" in message["text"] and f"tweet_id={fake_x.tweets[0]['id']}" in message["text"]
    # Once per post, whatever runs again.
    amplify.request(post.pk)
    delivery.sweep(timezone.now() + timedelta(hours=1))
    assert post.deliveries.filter(purpose=DeliveryPurpose.AMPLIFICATION).count() == 1
    assert delivery.perform(group.pk) == "skipped"
    assert len(fake_telegram.messages) == 1
    report = officer_client.get(reverse("campaigns_post_report", args=[post.pk])).content.decode()
    assert "Red de Vinculación" in report
    assert "También se avisó en el grupo de Telegram" in report
    assert report.count("Se reintentará") == 2  # its log, in words: two retries, then sent


# --- Uncertain deliveries: look before asking a person -----------------------------------------

def test_an_uncertain_x_post_that_is_out_is_found_on_the_account_and_marked_sent(
        officer, x_channel, fake_x, settings, mailoutbox):
    settings.ENLACE_NETWORK_READ_TIMEOUT = 1
    fake_x.script("POST /2/tweets", Fault(lose_answer=True))  # published, answer lost
    post = publish_post(officer, [x_channel])
    [d] = run(post).values()
    assert d.state == DeliveryState.UNCERTAIN
    [tweet] = fake_x.tweets
    assert delivery.verify_uncertain(d.pk) == "found"
    d.refresh_from_db()
    assert d.state == DeliveryState.SENT
    assert d.external_id == tweet["id"] and d.external_url.endswith(f"/status/{tweet['id']}")
    assert list(d.log.values_list("outcome", flat=True)) == [AttemptOutcome.UNCERTAIN, AttemptOutcome.FOUND]
    assert fake_x.count("GET /2/users/2244994945/tweets") == 1
    assert mailoutbox == []  # nobody was asked to decide


def test_the_worker_job_that_looks_up_an_uncertain_x_post_marks_it_sent(
        officer, x_channel, fake_x, settings, mailoutbox):
    """The job a worker runs (``campaigns.verify_uncertain``), not only the domain function:
    in a soak with real workers the job crashed on an import and uncertain X posts that were
    out stayed uncertain for good, with no one told."""
    from campaigns import tasks

    settings.ENLACE_NETWORK_READ_TIMEOUT = 1
    fake_x.script("POST /2/tweets", Fault(lose_answer=True))  # published, answer lost
    post = publish_post(officer, [x_channel])
    [d] = run(post).values()
    assert d.state == DeliveryState.UNCERTAIN
    assert tasks.verify_uncertain(delivery_id=d.pk) == "found"
    d.refresh_from_db()
    assert d.state == DeliveryState.SENT and d.external_id == fake_x.tweets[0]["id"]


@pytest.mark.django_db
def test_every_campaigns_job_returns_quietly_when_its_row_is_gone():
    """Each job takes keyword ids and returns quietly when its row was deleted meanwhile
    (campaigns/tasks.py); a job whose domain function cannot even be imported fails here."""
    from campaigns import tasks

    missing = 2_000_000_000
    assert tasks.deliver(delivery_id=missing) == "skipped"
    assert tasks.verify_uncertain(delivery_id=missing) == "skipped"
    assert tasks.prepare_renditions(post_id=missing) == 0
    assert tasks.request_amplification(post_id=missing) == 0
    tasks.post_created(post_id=missing, delivery_ids=[missing])
    tasks.read_feed(feed_id=missing)


def test_an_uncertain_x_post_behind_more_than_a_page_of_newer_posts_is_found_not_resent(
        officer, coordinator, x_channel, fake_x, settings):
    """X gives an account's recent posts 100 at a time. An uncertain post looked at once the
    account has published more than a page after it (a late check, or «Reenviar» pressed
    later on a busy account) must still be found: resending would post it twice (or fail on
    X's duplicate check, reporting as failed a post that is out)."""
    import time as clock

    settings.ENLACE_NETWORK_READ_TIMEOUT = 1
    fake_x.script("POST /2/tweets", Fault(lose_answer=True))
    post = publish_post(officer, [x_channel], text="El aviso que quedó en duda")
    [d] = run(post).values()
    assert d.state == DeliveryState.UNCERTAIN
    with fake_x.lock:  # the account goes on publishing: 150 newer posts
        for i in range(150):
            fake_x.tweets.append({"id": str(900_000 + i), "text": f"Otro aviso {i}", "media_ids": [],
                                  "account": "ck-valid", "at": clock.time(), "in_reply_to": None})
    assert delivery.resend(d, coordinator)
    assert attempt_now(d.pk) == "found"
    d.refresh_from_db()
    assert d.state == DeliveryState.SENT and d.external_id == fake_x.tweets[0]["id"]
    assert fake_x.count("POST /2/tweets") == 1


def test_an_uncertain_x_post_with_ampersands_and_angle_brackets_is_found(
        officer, x_channel, fake_x, settings):
    """X reads a post's text back with ``&``, ``<`` and ``>`` as HTML entities: a post in doubt
    holding them must still be recognised, or a resend would post it a second time."""
    settings.ENLACE_NETWORK_READ_TIMEOUT = 1
    fake_x.script("POST /2/tweets", Fault(lose_answer=True))
    post = publish_post(officer, [x_channel], text="Día del <acceso> & la transparencia > todo")
    [d] = run(post).values()
    assert d.state == DeliveryState.UNCERTAIN
    assert delivery.verify_uncertain(d.pk) == "found"
    d.refresh_from_db()
    assert d.state == DeliveryState.SENT and d.external_id == fake_x.tweets[0]["id"]


def test_resending_an_uncertain_x_post_that_is_out_does_not_post_it_twice(
        officer, coordinator, x_channel, fake_x, settings):
    settings.ENLACE_NETWORK_READ_TIMEOUT = 1
    fake_x.script("POST /2/tweets", Fault(lose_answer=True))
    post = publish_post(officer, [x_channel])
    [d] = run(post).values()
    assert d.state == DeliveryState.UNCERTAIN
    # A person presses «Reenviar» before the check ran.
    assert delivery.resend(d, coordinator)
    assert attempt_now(d.pk) == "found"
    d.refresh_from_db()
    assert d.state == DeliveryState.SENT and d.external_id == fake_x.tweets[0]["id"]
    assert fake_x.count("POST /2/tweets") == 1 and len(fake_x.tweets) == 1


def test_an_uncertain_x_post_that_is_not_out_says_so_and_is_resent_once(
        officer, coordinator, x_channel, fake_x, settings, mailoutbox,
        django_capture_on_commit_callbacks):
    officer.email = "autor@infoem.org.mx"
    officer.save()
    settings.ENLACE_NETWORK_READ_TIMEOUT = 1
    fake_x.script("POST /2/tweets", Fault(drop=True))  # never reached the timeline
    post = publish_post(officer, [x_channel])
    [d] = run(post).values()
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.verify_uncertain(d.pk) == "not-found"
    d.refresh_from_db()
    assert d.state == DeliveryState.UNCERTAIN and "no aparece" in d.error
    assert any("autor@infoem.org.mx" in m.to for m in mailoutbox)  # now a person is asked
    assert delivery.resend(d, coordinator)
    assert attempt_now(d.pk) == "sent"
    assert len(fake_x.tweets) == 1


def test_an_uncertain_telegram_post_tells_the_person_telegram_cannot_be_checked(
        officer, tg_channel, fake_telegram, settings):
    settings.ENLACE_NETWORK_READ_TIMEOUT = 1
    fake_telegram.script("sendMessage", Fault(lose_answer=True))
    post = publish_post(officer, [tg_channel])
    [d] = run(post).values()
    assert d.state == DeliveryState.UNCERTAIN
    assert "Telegram no permite a Enlace consultar lo que ya se publicó" in d.error
    assert "se publicará dos veces" in d.error
    assert delivery.verify_uncertain(d.pk) == "skipped"


def test_a_telegram_message_out_whose_answer_cannot_be_read_is_uncertain_not_failed(
        officer, tg_channel, fake_telegram):
    # Telegram published, then answered 200 with a body cut short (not JSON): the message is
    # out, so "Fallida" (which invites a resend) would post it twice.
    fake_telegram.script("sendMessage", Fault(garble=True))
    post = publish_post(officer, [tg_channel])
    [d] = run(post).values()
    assert len(fake_telegram.messages) == 1
    assert d.state == DeliveryState.UNCERTAIN
    assert "no se sabe si se publicó" in d.error and "Sí salió" in d.error
    later = timezone.now() + timedelta(hours=1)
    delivery.sweep(later)
    delivery.dispatch(later)
    assert delivery.perform(d.pk) == "skipped"
    assert len(fake_telegram.messages) == 1


def test_an_x_post_made_before_a_503_is_found_on_the_account_by_the_retry_not_posted_again(
        officer, x_channel, fake_x):
    # X made the post but answered 503; the retry looks at the account first (X's refusal of
    # duplicate content is the second net). The copy on the account is this delivery's: it is
    # sent, not posted again nor "Fallida" inviting a resend.
    fake_x.script("POST /2/tweets", Fault(status=503, do_first=True))
    post = publish_post(officer, [x_channel])
    d = post.deliveries.get()
    assert delivery.perform(d.pk) == "retry"
    assert attempt_now(d.pk) == "found"
    assert fake_x.count("POST /2/tweets") == 1
    d.refresh_from_db()
    [tweet] = fake_x.tweets
    assert d.state == DeliveryState.SENT and d.error == ""
    assert d.external_id == tweet["id"] and d.external_url.endswith(tweet["id"])
    assert d.log.filter(outcome=AttemptOutcome.FOUND).exists()


def test_an_x_thread_whose_part_was_made_by_an_earlier_attempt_goes_on_after_it(
        officer, x_channel, fake_x):
    fake_x.script("POST /2/tweets", Fault(status=503, do_first=True))
    post = publish_post(officer, [x_channel], text="Primera parte.\n---\nSegunda parte.")
    d = post.deliveries.get()
    assert delivery.perform(d.pk) == "retry"
    assert attempt_now(d.pk) == "sent"
    d.refresh_from_db()
    first, second = fake_x.tweets
    assert d.part_ids == [first["id"], second["id"]] and second["in_reply_to"] == first["id"]


def test_an_x_post_refused_as_duplicate_of_an_older_post_fails_saying_so_in_spanish(
        officer, x_channel, fake_x):
    post = publish_post(officer, [x_channel])
    text = rendering.sent_parts(post, x_channel)[0]
    fake_x.tweets.append({"id": "1", "text": text, "media_ids": [], "account": "ck-valid",
                          "at": time.time() - 86400, "in_reply_to": None})
    d = post.deliveries.get()
    assert delivery.perform(d.pk) == "failed"
    d.refresh_from_db()
    assert d.state == DeliveryState.FAILED
    assert "ya publicó ese mismo texto" in d.error
    assert fake_x.count("POST /2/tweets") == 1  # a 4xx is not retried


def test_an_x_refusal_reads_as_x_wrote_it_not_as_python_data(officer, x_channel, fake_x):
    fake_x.script("POST /2/tweets", Fault(status=400, description="Your media IDs are invalid."))
    post = publish_post(officer, [x_channel])
    [d] = run(post).values()
    assert d.state == DeliveryState.FAILED
    assert d.error == "X rechazó la solicitud: Your media IDs are invalid."
    assert fake_x.count("POST /2/tweets") == 1


def test_a_thread_part_in_doubt_is_checked_again_when_its_check_was_lost_though_an_earlier_part_was_found(
        officer, x_channel, fake_x, settings, monkeypatch):
    settings.ENLACE_NETWORK_READ_TIMEOUT = 1
    fake_x.script("POST /2/tweets", Fault(lose_answer=True))  # part 1 is out, its answer lost
    post = publish_post(officer, [x_channel], text="Uno.\n---\nDos.\n---\nTres.")
    [d] = run(post).values()
    assert d.state == DeliveryState.UNCERTAIN
    assert delivery.verify_uncertain(d.pk) == "found"  # part 1 is there: the thread goes on
    fake_x.every("POST /2/tweets", 2, Fault(lose_answer=True))  # part 2 answers, part 3 does not
    assert delivery.perform(d.pk) == "uncertain"
    d.refresh_from_db()
    assert len(d.part_ids) == 2 and len(fake_x.tweets) == 3
    # The job that would look for part 3 was lost (a worker killed, the broker emptied): the
    # sweeper must ask for the check again, whatever an earlier check of part 1 found.
    sent = []
    monkeypatch.setattr(jobs, "send", lambda name, **kwargs: sent.append((name, kwargs)) or True)
    delivery.sweep(timezone.now() + timedelta(minutes=2))
    assert ("campaigns.verify_uncertain", {"delivery_id": d.pk}) in sent
    assert delivery.verify_uncertain(d.pk) == "found"
    d.refresh_from_db()
    assert d.state == DeliveryState.SENT
    assert d.part_ids == [t["id"] for t in fake_x.tweets]


def test_deliveries_waiting_for_a_pause_line_up_after_it_instead_of_rushing_together(
        officer, tg_channel, fake_telegram):
    from campaigns.models import Channel

    rows = [publish_post(officer, [tg_channel], text=f"En fila {i}").deliveries.get() for i in range(12)]
    pause_ends = timezone.now() + timedelta(seconds=30)
    Channel.objects.filter(pk=tg_channel.pk).update(paused_until=pause_ends)
    for row in rows:
        assert delivery.perform(row.pk) == "skipped"
    times = sorted(Delivery.objects.values_list("next_attempt_at", flat=True))
    assert times[0] >= pause_ends
    # One after another (PAUSE_PACE apart, give or take a jitter smaller than the pace), not
    # twelve thrown into the same second after the pause.
    assert delivery.PAUSE_PACE == 0.1
    assert (times[-1] - times[0]).total_seconds() > 1.0
    assert fake_telegram.messages == []


def test_a_delivery_waiting_for_a_pause_does_not_wait_behind_posts_due_later(
        officer, tg_channel, fake_telegram):
    from campaigns.models import Channel

    pause_ends = timezone.now() + timedelta(seconds=30)
    for i in range(20):  # scheduled for later: not in the line
        publish_post(officer, [tg_channel], text=f"Para más tarde {i}",
                     publish_at=pause_ends + timedelta(seconds=10 + i))
    waiting = publish_post(officer, [tg_channel], text="Ya debía salir").deliveries.get()
    Channel.objects.filter(pk=tg_channel.pk).update(paused_until=pause_ends)
    assert delivery.perform(waiting.pk) == "skipped"
    waiting.refresh_from_db()
    assert pause_ends <= waiting.next_attempt_at < pause_ends + timedelta(seconds=delivery.PAUSE_PACE)


def test_a_delivery_late_in_a_backlog_gets_fewer_and_fewer_copies_of_its_message(
        officer, tg_channel, fake_telegram):
    """Workers behind look like lost messages: copies back off instead of piling up."""
    d = publish_post(officer, [tg_channel]).deliveries.get()
    due = timezone.now() - timedelta(minutes=10)
    Delivery.objects.filter(pk=d.pk).update(due_at=due, next_attempt_at=due,
                                            enqueued_at=due - timedelta(seconds=5))
    copies = []
    for second in range(0, 600, 5):  # the dispatcher every 5 s for 10 minutes
        now = due + timedelta(seconds=second)
        if delivery.dispatch(now):
            copies.append(second)
        Delivery.objects.filter(pk=d.pk, enqueued_at__gt=now).update(enqueued_at=now)
    assert 15 <= copies[0] <= 20  # a lost message is noticed at the first tick 15 s after it was due
    assert len(copies) <= 7  # 15, 30, 60, 120, 240, 480 s…: not 117 copies
    gaps = [b - a for a, b in zip(copies, copies[1:], strict=False)]
    assert all(later >= earlier for earlier, later in zip(gaps, gaps[1:], strict=False))


def test_a_backlog_waiting_an_hour_without_workers_gets_a_handful_of_copies_not_one_every_two_minutes(
        officer, tg_channel, fake_telegram):
    """Every worker is down for an hour: each due delivery's message waits in the broker.
    Copies keep backing off (15 s, 30 s, 1, 2, 4, 8, 16, 32 min…) instead of one more every
    ``ENLACE_REENQUEUE_AFTER`` for every waiting delivery, which filled the embedded broker's
    folder with 7 messages a delivery in the soak (10,244 files for 1,456 deliveries)."""
    posts = [publish_post(officer, [tg_channel], text=f"Aviso {n} con los workers caídos")
             for n in range(3)]
    due = timezone.now() - timedelta(hours=1)
    Delivery.objects.filter(post__in=posts).update(due_at=due, next_attempt_at=due,
                                                   enqueued_at=due - timedelta(seconds=5))
    messages = 0
    for second in range(0, 3600, 5):  # the dispatcher every 5 s for an hour, nobody consuming
        now = due + timedelta(seconds=second)
        messages += delivery.dispatch(now)
        Delivery.objects.filter(enqueued_at__gt=now).update(enqueued_at=now)
    assert messages <= 3 * 9  # 15, 30, 60, 120, 240, 480, 960, 1920 s: 8 copies each, not 33
    assert set(Delivery.objects.values_list("due_at", flat=True)) == {due}  # never «now»


def test_a_request_to_amplify_waiting_behind_a_backlog_is_not_sent_again_at_every_sweep(
        officer, tg_channel, fake_telegram, monkeypatch):
    """A post went out and its request to the network waits in the queue behind a backlog.
    The sweeper, every 30 s, took it for lost and sent another copy each time (100 posts a
    sweep): in the soak 4,457 of the 13,772 messages left in the broker were these."""
    run(publish_post(officer, [tg_channel], text="Aviso que la red debe difundir"))
    assert 1 <= _copies_in_an_hour_of_sweeps(monkeypatch, "campaigns.request_amplification") <= 7


def test_a_check_of_an_uncertain_x_post_waiting_behind_a_backlog_is_not_sent_again_at_every_sweep(
        officer, x_channel, fake_x, monkeypatch):
    """The sweeper asked again for the check of every uncertain post at each sweep (30 s)
    while the first check waited in the queue: 38 copies in the soak's broker."""
    post = publish_post(officer, [x_channel], text="Aviso incierto")
    d = post.deliveries.get()
    Delivery.objects.filter(pk=d.pk).update(state=DeliveryState.UNCERTAIN,
                                            finished_at=timezone.now())
    assert 1 <= _copies_in_an_hour_of_sweeps(monkeypatch, "campaigns.verify_uncertain") <= 7


def _copies_in_an_hour_of_sweeps(monkeypatch, job: str) -> int:
    """Messages of ``job`` the sweeper sends in an hour (every 30 s) while none of them runs."""
    sent = []
    monkeypatch.setattr(jobs, "send", lambda name, **kwargs: sent.append(name) or True)
    start = timezone.now()
    for second in range(60, 3600, 30):
        delivery.sweep(start + timedelta(seconds=second))
    return sent.count(job)


def test_when_x_cannot_be_read_the_delivery_stays_uncertain_and_people_are_told_once(
        officer, x_channel, fake_x, settings, mailoutbox, django_capture_on_commit_callbacks):
    officer.email = "autor@infoem.org.mx"
    officer.save()
    settings.ENLACE_NETWORK_READ_TIMEOUT = 1
    fake_x.script("POST /2/tweets", Fault(lose_answer=True))
    fake_x.script("GET /2/users/2244994945/tweets", Fault(status=503), times=2)
    post = publish_post(officer, [x_channel])
    [d] = run(post).values()
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.verify_uncertain(d.pk) == "unknown"
        assert delivery.verify_uncertain(d.pk) == "unknown"
    d.refresh_from_db()
    assert d.state == DeliveryState.UNCERTAIN
    assert list(d.log.values_list("outcome", flat=True)).count(AttemptOutcome.CHECK_FAILED) == 2
    assert len([m for m in mailoutbox if "autor@infoem.org.mx" in m.to]) == 1
    # The third look finds it.
    assert delivery.verify_uncertain(d.pk) == "found"


@pytest.fixture
def queued(monkeypatch):
    """The messages enqueued for deliveries, as (delivery id, ETA), still really sent."""
    sent = []
    original = jobs.send

    def recording(name, *, eta=None, **kwargs):
        if name == "campaigns.deliver":
            sent.append((kwargs["delivery_id"], eta))
        return original(name, eta=eta, **kwargs)

    monkeypatch.setattr(jobs, "send", recording)
    return sent


def test_a_delivery_told_to_wait_hours_gets_no_message_until_its_time_is_near(
        officer, tg_channel, x_channel, fake_telegram, fake_x, queued, settings):
    """A message with a far ETA sits unacknowledged in a worker all that time: RabbitMQ
    closes the worker's channel after its consumer timeout (30 minutes), and Redis hands the
    message out again every visibility timeout (an hour), a copy more each time. A rate limit
    of hours (X's daily cap) or a long back-off is left to the dispatcher instead, which
    enqueues it when it comes within its horizon; it still goes out once."""
    from campaigns.models import Channel

    fake_x.script("POST /2/tweets", Fault(status=429, retry_after=3 * 3600))
    limited = publish_post(officer, [x_channel], text="Límite diario de X").deliveries.get()
    queued.clear()
    assert delivery.perform(limited.pk) == "retry"
    waiting = publish_post(officer, [tg_channel], text="Canal en pausa").deliveries.get()
    Channel.objects.filter(pk=tg_channel.pk).update(
        paused_until=timezone.now() + timedelta(hours=2))
    assert delivery.perform(waiting.pk) == "skipped"
    horizon = timedelta(seconds=settings.ENLACE_DISPATCH_HORIZON + 1)
    late = [(pk, eta) for pk, eta in queued if eta and eta > timezone.now() + horizon]
    assert late == []
    for row in (limited, waiting):
        row.refresh_from_db()
        assert row.state == DeliveryState.PENDING and row.next_attempt_at > timezone.now() + horizon
    # Hours later its time is near: the dispatcher enqueues it, and it goes out once.
    Channel.objects.update(paused_until=None)
    for row in (limited, waiting):
        Delivery.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now() + timedelta(seconds=5))
        queued.clear()
        assert delivery.dispatch() == 1
        assert [pk for pk, _eta in queued] == [row.pk]
        assert attempt_now(row.pk) == "sent"
    assert len(fake_x.tweets) == 1 and len(fake_telegram.messages) == 1
