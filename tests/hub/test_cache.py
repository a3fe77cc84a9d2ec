"""A cache server that is down slows Enlace down; it never turns a request into an error."""

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from campaigns.models import Post
from tests.campaigns.factories import make_channel

UNREACHABLE_REDIS = {"default": {"BACKEND": "hub.cache.ResilientRedisCache",
                                 "LOCATION": "redis://127.0.0.1:1/0"}}  # nothing listens there


def test_an_unreachable_cache_answers_as_if_empty(settings):
    settings.CACHES = UNREACHABLE_REDIS
    cache.set("clave", "valor")
    assert cache.get("clave", "nada") == "nada"
    assert cache.get_many(["clave"]) == {}
    with pytest.raises(ValueError):
        cache.incr("contador")


def test_a_post_is_created_through_the_api_while_the_cache_is_down(settings, officer, infoem):
    settings.CACHES = UNREACHABLE_REDIS
    channel = make_channel("telegram", institution=infoem)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + Token.objects.create(user=officer).key)
    response = client.post("/api/posts/", {"text": "Aunque la caché no responda",
                                           "channels": [channel.pk]}, format="json")
    assert response.status_code == 201, response.content
    assert Post.objects.filter(pk=response.json()["id"]).exists()


class _RecordingClient:
    """Stands in for Django's Redis client: records the timeout each write reaches Redis with."""

    def __init__(self):
        self.timeouts = []

    def set(self, key, value, timeout):
        self.timeouts.append(("set", timeout))

    def add(self, key, value, timeout):
        self.timeouts.append(("add", timeout))
        return True

    def set_many(self, data, timeout):
        self.timeouts.append(("set_many", timeout))

    def touch(self, key, timeout):
        self.timeouts.append(("touch", timeout))
        return True


def test_a_write_without_a_timeout_gets_the_caches_default_not_forever():
    """Wagtail caches every image rendition with ``set_many(...)`` and no timeout. With
    ``timeout=None`` as the wrapper's default such keys never expired: Redis kept one per image
    and size for good, which ``maxmemory-policy volatile-lru`` can never evict (soak: 16 keys
    without expiry after the first hour's images, growing with every image posted)."""
    from hub.cache import ResilientRedisCache

    backend = ResilientRedisCache("redis://127.0.0.1:1/0", {"TIMEOUT": 300})
    client = _RecordingClient()
    backend.__dict__["_cache"] = client  # Django's RedisCache keeps its client there
    backend.set("a", 1)
    backend.add("b", 1)
    backend.set_many({"c": 1})
    backend.touch("a")
    assert client.timeouts == [("set", 300), ("add", 300), ("set_many", 300), ("touch", 300)]
    backend.set("forever", 1, timeout=None)  # an explicit None still means "never expires"
    assert client.timeouts[-1] == ("set", None)
