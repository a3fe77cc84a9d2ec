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

from campaigns.enums import DeliveryState
from campaigns.models import Post
from campaigns.posts import create_and_submit

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


def test_api_post_ends_as_wagtails_publish_action_leaves_a_post(api, officer, infoem):
    channel = make_channel("telegram", infoem)
    ours = Post.objects.get(pk=_post(api, [channel], "Creada por la API")["id"])

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
    post = Post.objects.get(pk=_post(api, [channel], "Texto original")["id"])
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
