"""The OpenAPI description says what the API really answers and accepts (schemathesis run
against it with an officer's and a coordinator's token): an SNT channel's institution is
null, a post needs at least one channel and a channel a name. A client generated from the
description no longer fails on a valid answer, nor sends a request it is told is valid and
then gets a 400."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from .factories import make_channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def schemas(client):
    return client.get("/api/openapi.json").json()["components"]["schemas"]


def test_an_snt_channel_has_no_institution_and_the_description_says_so(officer, schemas):
    make_channel("telegram", None)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token " + Token.objects.create(user=officer).key)
    assert [c["institution"] for c in api.get("/api/channels/").json()] == [None]
    assert schemas["Channel"]["properties"]["institution"].get("nullable") is True


def test_the_description_asks_for_a_channel_and_a_name(schemas):
    assert schemas["PostCreate"]["properties"]["channels"].get("minItems") == 1
    assert schemas["ChannelCreate"]["properties"]["name"].get("minLength") == 1


def test_every_answer_the_api_gives_is_described(client):
    """A replay with the same Idempotency-Key answers 200, a refusal 400 with a message per
    field, no token 401, an officer registering a channel 403, another institution's post
    404, too many requests 429: a client reading the description knows each of them."""
    paths = client.get("/api/openapi.json").json()["paths"]
    documented = {(path, method): set(operation["responses"])
                  for path, operations in paths.items() for method, operation in operations.items()}
    assert documented[("/api/posts/", "post")] >= {"200", "201", "400", "401", "429"}
    assert documented[("/api/posts/", "get")] >= {"200", "401", "429"}
    assert documented[("/api/posts/{id}/", "get")] >= {"200", "401", "404", "429"}
    assert documented[("/api/channels/", "get")] >= {"200", "401", "429"}
    assert documented[("/api/channels/", "post")] >= {"201", "400", "401", "403", "429"}


@pytest.mark.parametrize("path", ["/api/posts/%C2%84/", "/api/posts/0x1/", "/api/posts//",
                                  "/api/nada/", "/api/posts/1/extra/"])
def test_an_unknown_api_address_answers_json_not_a_web_page(officer, path):
    """schemathesis met /api/posts/%C2%84/ answering the site's HTML 404 page to an API
    client; under /api/ every unknown address is a JSON 404 with a Spanish detail."""
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token " + Token.objects.create(user=officer).key)
    response = api.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "No existe o no tiene acceso."}


def test_an_api_address_without_its_final_slash_still_finds_it(officer):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token " + Token.objects.create(user=officer).key)
    response = api.get("/api/channels")
    assert response.status_code == 301 and response["Location"] == "/api/channels/"
