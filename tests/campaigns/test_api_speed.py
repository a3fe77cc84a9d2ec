"""Creating a post through the API: a cost that does not grow with the channels, no network
call in the request, and the same outcome as Wagtail's own publish action."""

import socket

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from modelsearch.backends import get_search_backend
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from wagtail.models import ModelLogEntry, ReferenceIndex

from campaigns import delivery
from campaigns.enums import DeliveryState
from campaigns.models import Post
from campaigns.posts import create_and_submit
from campaigns.tasks import post_created

from .factories import make_channel


@pytest.fixture
def api(officer):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + Token.objects.create(user=officer).key)
    return client


def _search(words):
    return get_search_backend().search(words, Post)


def _post(api, channels, text):
    response = api.post("/api/posts/", {"text": text, "channels": [c.pk for c in channels]},
                        format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_post_creation_queries_do_not_grow_with_the_number_of_channels(api, infoem):
    channels = [make_channel("telegram", infoem, name=f"Telegram {i}") for i in range(5)]
    _post(api, channels[:1], "Primera, para calentar las cachés")
    with CaptureQueriesContext(connection) as one:
        body_one = _post(api, channels[:1], "Aviso a un canal")
    with CaptureQueriesContext(connection) as five:
        body_five = _post(api, channels, "Aviso a cinco canales")
    assert len(body_one["deliveries"]) == 1 and len(body_five["deliveries"]) == 5
    assert len(five) == len(one), "\n".join(q["sql"][:120] for q in five.captured_queries)


def test_post_creation_opens_no_connection_to_the_networks(api, infoem, fake_telegram, fake_x,
                                                           monkeypatch):
    telegram, x = make_channel("telegram", infoem), make_channel("x", infoem)
    fakes = {("127.0.0.1", int(f.url.rsplit(":", 1)[1])) for f in (fake_telegram, fake_x)}
    opened = []
    real_connect = socket.socket.connect

    def recording_connect(sock, address):
        opened.append(tuple(address[:2]) if isinstance(address, tuple) else address)
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", recording_connect)
    body = _post(api, [telegram, x], "Sin llamar a Telegram ni a X durante la petición")
    monkeypatch.undo()
    assert {d["state"] for d in body["deliveries"]} == {DeliveryState.PENDING}
    assert not fakes & set(opened)
    assert fake_telegram.calls == [] and fake_x.calls == []


def _run_post_created_job(body):
    """What the worker does with the job the post's commit enqueued."""
    post_created(post_id=body["id"], delivery_ids=[d["id"] for d in body["deliveries"]])


def test_api_post_ends_as_wagtails_publish_action_leaves_a_post(api, officer, infoem,
                                                                  django_capture_on_commit_callbacks):
    channel = make_channel("telegram", infoem)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        body = _post(api, [channel], "Creada por la API")
    # One job for the post, whatever the number of channels (other apps' callbacks, such as
    # open-data rebuilds, are not counted).
    assert len([c for c in callbacks if c.__module__ == "campaigns.jobs"]) == 1
    _run_post_created_job(body)
    ours = Post.objects.get(pk=body["id"])

    theirs = Post(title="Publicada por Wagtail", text="Publicada por Wagtail", author=officer,
                  institution=infoem, live=False)
    theirs.channels.set([channel])
    theirs.save()
    theirs.save_revision(user=officer, log_action=True).publish(user=officer)
    theirs.refresh_from_db()

    for post in (ours, theirs):
        assert post.live and not post.has_unpublished_changes and not post.expired
        assert post.live_revision_id == post.latest_revision_id is not None
        assert post.revisions.count() == 1
        assert post.first_published_at == post.last_published_at is not None
        assert list(ModelLogEntry.objects.for_instance(post).order_by("pk").values_list(
            "action", "user", "revision")) == [
            ("wagtail.edit", officer.pk, post.latest_revision_id),
            ("wagtail.publish", officer.pk, post.latest_revision_id)]
        assert [d.channel_id for d in post.deliveries.all()] == [channel.pk]
    assert (ReferenceIndex.get_references_for_object(ours).count()
            == ReferenceIndex.get_references_for_object(theirs).count() > 0)
    found = _search("Creada por la API")
    assert [p.pk for p in found] == [ours.pk]


def test_the_search_index_follows_later_edits_of_a_post(api, infoem):
    channel = make_channel("telegram", infoem)
    body = _post(api, [channel], "Texto original")
    _run_post_created_job(body)
    post = Post.objects.get(pk=body["id"])
    post.title = "Convocatoria renovada"
    post.save()
    assert [p.pk for p in _search("renovada")] == [post.pk]
    post.delete()
    assert list(_search("renovada")) == []


def test_an_actor_without_publish_permission_cannot_publish_through_the_domain(infoem):
    from tests.factories import UserFactory

    nobody = UserFactory(username="sin-permisos")
    channel = make_channel("telegram", infoem)
    post = Post(title="No", text="No", institution=infoem, author=nobody, live=False)
    with pytest.raises(Exception, match="permission"):
        create_and_submit(nobody, post, [channel])
    assert not Post.objects.exists()


# The queries a post costs: authentication (the token, its user and their institution in one),
# the actor's groups, the channels, the publish permission (user and group permissions), then
# in one transaction (two statements to open and close it) the post, its channels, its
# revision, the revision pointers, its deliveries and both log entries.
# Raising this number is a decision: the issue asks for a post at a third of a trivial view.
POST_QUERY_BUDGET = 12


def test_a_post_through_the_api_costs_a_fixed_small_number_of_queries(
        api, infoem, django_assert_max_num_queries):
    telegram, x = make_channel("telegram", infoem), make_channel("x", infoem)
    _post(api, [telegram], "Primera, para calentar las cachés")
    with django_assert_max_num_queries(POST_QUERY_BUDGET):
        body = _post(api, [telegram, x], "Aviso a Telegram y a X")
    assert {d["channel"] for d in body["deliveries"]} == {telegram.pk, x.pk}
    assert body["status"] == "published"


def test_the_history_an_officer_sees_shows_the_creation_and_the_publication(
        api, officer, infoem, client):
    from django.urls import reverse

    channel = make_channel("telegram", infoem)
    body = _post(api, [channel], "Aviso con historial")
    client.force_login(officer)
    response = client.get(reverse("wagtailsnippets_campaigns_post:history", args=[body["id"]]))
    assert response.status_code == 200
    entries = list(response.context["object_list"])
    assert [(e.action, e.user_id) for e in sorted(entries, key=lambda e: e.pk)] == [
        ("wagtail.edit", officer.pk), ("wagtail.publish", officer.pk)]
    html = response.content.decode()
    assert officer.get_username() in html or (officer.get_full_name() or "-") in html
    # The revision the entries point at can be opened (Wagtail's "ver esta versión").
    post = Post.objects.get(pk=body["id"])
    revision = post.latest_revision
    assert revision.content["pk"] == post.pk and revision.content["channels"] == [channel.pk]
    assert revision.as_object().text == "Aviso con historial"


def test_a_post_created_while_the_broker_is_down_is_still_indexed_and_left_to_the_dispatcher(
        api, infoem, django_capture_on_commit_callbacks):
    from campaigns.models import Delivery
    from hub.celery import app
    from tests.workers import free_port, use_broker

    channel = make_channel("telegram", infoem)
    original = app.conf.broker_url
    use_broker(app, f"redis://127.0.0.1:{free_port()}/0")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            body = _post(api, [channel], "Aviso sin cola de trabajos")
    finally:
        use_broker(app, original)
    assert [p.pk for p in _search("cola de trabajos")] == [body["id"]]
    [delivery] = Delivery.objects.filter(post_id=body["id"])
    assert delivery.state == DeliveryState.PENDING and delivery.enqueued_at is None


def test_the_send_time_asked_for_is_the_deliveries_due_time(api, infoem):
    from datetime import timedelta

    from django.utils import timezone

    from campaigns.models import Delivery

    channel = make_channel("telegram", infoem)
    when = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    response = api.post("/api/posts/", {"text": "Programada", "channels": [channel.pk],
                                        "publish_at": when.isoformat()}, format="json")
    assert response.status_code == 201, response.json()
    [delivery] = Delivery.objects.filter(post_id=response.json()["id"])
    assert delivery.due_at == delivery.next_attempt_at == when
    assert Post.objects.get(pk=response.json()["id"]).publish_at == when


def test_a_post_with_tags_and_a_campaign_keeps_them_in_the_answer_and_the_database(api, infoem):
    channel = make_channel("telegram", infoem)
    response = api.post("/api/posts/", {"text": "Con etiquetas", "channels": [channel.pk],
                                        "tags": ["transparencia", "datos"]}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    post = Post.objects.get(pk=body["id"])
    assert sorted(body["tags"]) == sorted(t.name for t in post.tags.all()) == ["datos", "transparencia"]
    assert body["channels"] == [channel.pk] == list(post.channels.values_list("pk", flat=True))


def test_the_one_query_publish_permission_agrees_with_djangos_for_every_kind_of_user(
        officer, coordinator, infoem):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    from campaigns.rules import can_publish_posts
    from hub.roles import COMMUNICATIONS, EDITORIAL
    from tests.factories import UserFactory

    nobody = UserFactory(username="sin-grupo")
    editor = UserFactory(username="editora", groups=[EDITORIAL])
    inactive = UserFactory(username="inactiva", groups=[COMMUNICATIONS])
    inactive.is_active = False
    inactive.save()
    direct = UserFactory(username="permiso-directo")
    direct.user_permissions.add(Permission.objects.get(content_type__app_label="campaigns",
                                                       codename="publish_post"))
    superuser = UserFactory(username="raiz", is_superuser=True)
    users = [officer, coordinator, nobody, editor, inactive, direct, superuser]
    expected = {u.username: u.has_perm("campaigns.publish_post") for u in users}
    assert expected["oficial-infoem"] and expected["permiso-directo"] and not expected["sin-grupo"]
    fresh = {u.pk: get_user_model().objects.get(pk=u.pk) for u in users}  # no permission cache
    assert {u.username: bool(can_publish_posts(fresh[u.pk])) for u in users} == expected


def test_a_token_reads_the_officers_institution_without_a_query_of_its_own(api, infoem, itei):
    """The institution comes with the token: the channels an officer is offered are still only
    their institution's and the SNT's (never another institution's)."""
    own = make_channel("telegram", infoem, name="Telegram INFOEM")
    snt = make_channel("telegram", None, name="Telegram SNT")
    make_channel("telegram", itei, name="Telegram ITEI")
    response = api.get("/api/channels/")
    assert response.status_code == 200
    assert sorted(c["name"] for c in response.json()) == sorted([own.name, snt.name])


def test_a_token_of_a_user_without_institution_or_deactivated_reads_as_before(coordinator, infoem):
    make_channel("telegram", infoem, name="Telegram INFOEM")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + Token.objects.create(user=coordinator).key)
    response = client.get("/api/channels/")  # Coordinación has no staff profile
    assert response.status_code == 200 and [c["name"] for c in response.json()] == ["Telegram INFOEM"]
    coordinator.is_active = False
    coordinator.save()
    response = client.get("/api/channels/")
    assert response.status_code == 401 and response.json()["detail"]
    assert APIClient(HTTP_AUTHORIZATION="Token no-existe").get("/api/channels/").status_code == 401


def test_a_post_whose_job_the_broker_lost_is_indexed_by_the_sweeper(
        api, infoem, monkeypatch, django_capture_on_commit_callbacks):
    """Found in a soak: a Redis broker killed and restarted empty lost the post_created jobs
    it held (no worker was running), and those posts were never indexed: the admin's search
    never found them. The dispatcher re-sends only deliveries; the sweeper must do the rest."""
    from datetime import timedelta

    from django.utils import timezone

    from campaigns import jobs

    channel = make_channel("telegram", infoem)
    # The broker accepts the job, then restarts empty before a worker takes it.
    monkeypatch.setattr(jobs, "send", lambda name, **kwargs: True)
    with django_capture_on_commit_callbacks(execute=True):
        body = _post(api, [channel], "Ofrenda de cempasúchil en la plaza")
    monkeypatch.undo()
    assert list(_search("cempasúchil")) == []
    delivery.sweep(timezone.now())  # too soon: its job may still be on its way
    assert list(_search("cempasúchil")) == []
    delivery.sweep(timezone.now() + timedelta(minutes=2))
    assert [p.pk for p in _search("cempasúchil")] == [body["id"]]
    # Done once: the next sweeps find nothing left to prepare.
    assert not Post.objects.filter(pk=body["id"], pending_after_create=True).exists()
