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
