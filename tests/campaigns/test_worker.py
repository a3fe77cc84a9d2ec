"""Exactly-once delivery with real Celery worker processes, the real clients and fake networks.

Each test runs against the configured broker (the embedded one, or Redis in CI's second pass).
Workers are killed with SIGKILL at the two moments that matter: before the request leaves
and while the network holds it.

No test races the wall clock: the lease is long, so a slow worker on a loaded machine is never
taken for dead; when a test has killed a worker, it ages that worker's claim in the database
(the lease has run out, as far as the sweeper can tell) instead of waiting for it to expire.
"""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.devtools.fake_networks import Fault
from campaigns.enums import DeliveryState
from campaigns.models import Delivery, PostImage
from network.models import Institution
from tests.factories import UserFactory
from tests.workers import free_port, start_redis, start_worker, stop_worker, use_broker, wait_for

from .conftest import make_channel, make_image, publish_post

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

# A lease far longer than any send here, however loaded the machine: only a test that killed
# a worker makes a claim look expired (``_lease_ran_out``).
FAST = {"ENLACE_DELIVERY_LEASE": "600", "ENLACE_SWEEP_INTERVAL": "1", "ENLACE_DISPATCH_INTERVAL": "1",
        "ENLACE_REENQUEUE_AFTER": "3", "ENLACE_LOST_AFTER": "3", "ENLACE_RETRY_BASE": "0.3",
        "ENLACE_NETWORK_READ_TIMEOUT": "60"}


@pytest.fixture
def networks(fake_telegram, fake_x):
    return fake_telegram, fake_x


@pytest.fixture
def world(reference_data, networks):
    infoem = Institution.objects.get(acronym="INFOEM")
    author = UserFactory(username="oficial", groups=["Comunicación"])
    from network.models import StaffProfile

    StaffProfile.objects.create(user=author, institution=infoem)
    return author, make_channel("telegram", infoem), make_channel("x", infoem)


def _env(networks):
    telegram, x = networks
    return {**FAST, "TELEGRAM_API_BASE_URL": telegram.url, "X_API_BASE_URL": x.url}


def _states():
    return list(Delivery.objects.values_list("state", flat=True))


def _lease_ran_out(post) -> None:
    """The worker holding these claims was killed: age them past the lease, as time would."""
    post.deliveries.filter(state=DeliveryState.SENDING).update(
        claimed_at=timezone.now() - timedelta(hours=1))


def test_each_delivery_is_made_once_through_a_429_storm(world, networks, tmp_path):
    telegram, x = networks
    author, tg, xc = world
    telegram.script("sendMessage", Fault(status=429, retry_after=1), times=4)
    x.script("POST /2/tweets", Fault(status=429, retry_after=1), times=4)
    x.script("POST /2/tweets", Fault(status=503), times=1)
    posts = [publish_post(author, [tg, xc], text=f"Aviso {i} del SNT") for i in range(5)]
    worker = start_worker(tmp_path, beat=True, extra_env=_env(networks))
    try:
        done = wait_for(lambda: _states().count(DeliveryState.SENT) == 10, 90, worker)
    finally:
        output = stop_worker(worker)
    assert done, (_states(), output)
    assert len(telegram.messages) == 5 and len(x.tweets) == 5
    assert sorted(t["text"].splitlines()[0] for t in x.tweets) == [f"Aviso {i} del SNT" for i in range(5)]
    ids = set(Delivery.objects.values_list("channel_id", "external_id"))
    assert len(ids) == 10
    assert all(Delivery.objects.filter(post=p).count() == 2 for p in posts)


def test_worker_killed_before_the_request_left_is_resent_once(world, networks, tmp_path):
    _telegram, x = networks
    author, _tg, xc = world
    x.script("POST /2/media/upload", Fault(hang=True))  # stuck uploading, before the post
    post = publish_post(author, [xc])
    post.images.add(PostImage(image=make_image()))
    post.save()
    worker = start_worker(tmp_path, extra_env=_env(networks))
    try:
        assert wait_for(x.hanging.is_set, 60, worker)
    finally:
        stop_worker(worker, kill=True)
    x.release()
    delivery = post.deliveries.get()
    assert delivery.state == DeliveryState.SENDING and delivery.request_started_at is None
    _lease_ran_out(post)
    worker = start_worker(tmp_path, beat=True, extra_env=_env(networks))
    try:
        done = wait_for(lambda: post.deliveries.get().state == DeliveryState.SENT, 60, worker)
        time.sleep(2)  # a few more sweeps and dispatches: still exactly one post
    finally:
        output = stop_worker(worker)
    assert done, output
    assert x.count("POST /2/tweets") == 1 and len(x.tweets) == 1
    assert len(x.tweets[0]["media_ids"]) == 1


def test_worker_killed_while_the_network_holds_the_request_is_uncertain_not_resent(
        world, networks, tmp_path, mailoutbox):
    telegram, _x = networks
    author, tg, _xc = world
    telegram.script("sendMessage", Fault(hang=True))
    post = publish_post(author, [tg])
    worker = start_worker(tmp_path, extra_env=_env(networks))
    try:
        assert wait_for(telegram.hanging.is_set, 60, worker)
    finally:
        stop_worker(worker, kill=True)
    telegram.release()
    assert post.deliveries.get().request_started_at is not None
    _lease_ran_out(post)
    worker = start_worker(tmp_path, beat=True, extra_env=_env(networks))
    try:
        done = wait_for(lambda: post.deliveries.get().state == DeliveryState.UNCERTAIN, 60, worker)
        time.sleep(3)
    finally:
        output = stop_worker(worker)
    assert done, output
    delivery = post.deliveries.get()
    assert delivery.state == DeliveryState.UNCERTAIN
    assert "no se sabe si se publicó" in delivery.error
    assert telegram.count("sendMessage") == 1  # never resent by itself


def test_a_broker_restart_that_loses_the_queue_loses_no_post(world, networks, tmp_path):
    telegram, x = networks
    author, tg, xc = world
    port = free_port()
    broker = f"redis://127.0.0.1:{port}/0"
    redis = start_redis(port)
    from hub.celery import app

    original = app.conf.broker_url
    use_broker(app, broker)
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=3)
        posts = [publish_post(author, [tg, xc], text=f"Publicación {i}") for i in range(3)]
        assert Delivery.objects.exclude(enqueued_at=None).count() == 6  # messages are in Redis
        redis.kill()  # the broker dies with the queue (no persistence) and comes back empty
        redis.wait()
        redis = start_redis(port)
        worker = start_worker(tmp_path, beat=True, broker_url=broker, extra_env=_env(networks))
        try:
            done = wait_for(lambda: _states().count(DeliveryState.SENT) == 6, 60, worker)
            time.sleep(2)
        finally:
            output = stop_worker(worker)
        assert done, (_states(), output)
        assert len(telegram.messages) == 3 and len(x.tweets) == 3
        assert all(p.deliveries.filter(state=DeliveryState.SENT).count() == 2 for p in posts)
    finally:
        use_broker(app, original)
        redis.kill()
        redis.wait()
