"""The token API for officers' own tools."""

import datetime as dt
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from campaigns.models import Post

from .factories import make_channel, png_bytes


@pytest.fixture
def api(officer):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + Token.objects.create(user=officer).key)
    return client


def test_create_api_token_command_prints_a_working_token(officer, tg_channel):
    out = io.StringIO()
    call_command("create_api_token", officer.username, stdout=out)
    key = out.getvalue().strip()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert [c["id"] for c in client.get("/api/channels/").json()] == [tg_channel.pk]
    assert APIClient().get("/api/channels/").status_code == 401


def test_post_now_and_read_its_deliveries(api, tg_channel, x_channel):
    response = api.post("/api/posts/", {"text": "Hoy es el Día Internacional del Derecho a Saber",
                                        "channels": [tg_channel.pk, x_channel.pk]}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "published"
    detail = api.get(f"/api/posts/{body['id']}/").json()
    assert {d["channel"] for d in detail["deliveries"]} == {tg_channel.pk, x_channel.pk}
    assert {d["state"] for d in detail["deliveries"]} == {"pending"}
    assert set(detail["deliveries"][0]) >= {"channel", "state", "external_id", "external_url",
                                             "attempts", "error"}


def test_naive_publish_at_is_mexico_city_time(api, tg_channel):
    response = api.post("/api/posts/", {"text": "Mañana", "channels": [tg_channel.pk],
                                        "publish_at": "2031-05-04T10:00:00"}, format="json")
    assert response.status_code == 201
    due = Post.objects.get().deliveries.get().due_at
    assert timezone.localtime(due).hour == 10 and due.utcoffset() is not None
    assert due.astimezone(dt.UTC).hour == 16


def test_retrying_with_the_same_idempotency_key_does_not_create_a_second_post(api, tg_channel):
    payload = {"text": "Una sola vez", "channels": [tg_channel.pk]}
    first = api.post("/api/posts/", payload, format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    again = api.post("/api/posts/", payload, format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"] and Post.objects.count() == 1


def test_an_idempotency_key_reused_for_other_content_is_refused_not_answered_with_the_old_post(
        api, tg_channel):
    """A client that reused a key for a new post got 200 with the first post: the new text was
    dropped without a word. As in Stripe's API, another content under a used key is a 422."""
    first = api.post("/api/posts/", {"text": "Primera", "channels": [tg_channel.pk]},
                     format="json", HTTP_IDEMPOTENCY_KEY="clave-1")
    other = api.post("/api/posts/", {"text": "Otra distinta", "channels": [tg_channel.pk]},
                     format="json", HTTP_IDEMPOTENCY_KEY="clave-1")
    assert first.status_code == 201 and other.status_code == 422
    assert "otro contenido" in " ".join(other.json()["Idempotency-Key"])
    assert list(Post.objects.values_list("text", flat=True)) == ["Primera"]
    # The same content again is still the retry it always was, in any key order.
    again = api.post("/api/posts/", {"channels": [tg_channel.pk], "text": "Primera"},
                     format="json", HTTP_IDEMPOTENCY_KEY="clave-1")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]


def test_a_multipart_retry_with_the_same_image_is_the_same_post(api, tg_channel):
    def send(image_bytes):
        image = io.BytesIO(image_bytes)
        image.name = "cartel.png"
        return api.post("/api/posts/", {"text": "Con imagen", "channels": [tg_channel.pk],
                                        "images": [image]},
                        format="multipart", HTTP_IDEMPOTENCY_KEY="con-imagen")

    first, again = send(png_bytes()), send(png_bytes())
    assert first.status_code == 201 and again.status_code == 200
    assert send(png_bytes(color=(200, 10, 10))).status_code == 422
    assert Post.objects.count() == 1


@pytest.mark.parametrize("payload, field, words", [
    ({"text": ""}, "text", "Escriba el texto"),
    ({"text": "x" * 300}, "text", "excede el límite de X"),
    ({"publish_at": "2001-01-01T10:00:00-06:00"}, "publish_at", "ya pasó"),
    ({"channels": []}, "channels", ""),
])
def test_bad_requests_get_a_message_per_field_and_nothing_is_saved(api, x_channel, payload, field, words):
    data = {"text": "Texto válido", "channels": [x_channel.pk], **payload}
    response = api.post("/api/posts/", data, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert words in " ".join(response.json()[field])
    assert not Post.objects.exists()


def test_another_institutions_channel_is_forbidden_and_invisible(api, itei, officer):
    other = make_channel("telegram", itei, name="Canal del ITEI")
    response = api.post("/api/posts/", {"text": "Hola", "channels": [other.pk]}, format="json")
    nonexistent = api.post("/api/posts/", {"text": "Hola", "channels": [other.pk + 1000]},
                           format="json")
    assert response.status_code == nonexistent.status_code == 400
    assert "no puede publicar en él" in response.json()["channels"][0]
    assert "Canal del ITEI" not in response.content.decode()  # not even its name
    assert not Post.objects.exists()
    foreign = Post.objects.create(title="Ajena", text="x")
    assert api.get(f"/api/posts/{foreign.pk}/").status_code == 404
    assert other.pk not in [c["id"] for c in api.get("/api/channels/").json()]
    group = make_channel("telegram", None, name="Grupo de la Red", is_network_group=True)
    assert group.pk not in [c["id"] for c in api.get("/api/channels/").json()]


def test_images_are_validated_by_content(api, tg_channel):
    fake = io.BytesIO(b"not an image at all")
    fake.name = "foto.png"
    response = api.post("/api/posts/", {"text": "Con imagen", "channels": [tg_channel.pk],
                                        "images": [fake]}, format="multipart")
    assert response.status_code == 400 and "images" in response.json()
    good = io.BytesIO(png_bytes())
    good.name = "foto.png"
    response = api.post("/api/posts/", {"text": "Con imagen", "channels": [tg_channel.pk],
                                        "images": [good]}, format="multipart")
    assert response.status_code == 201, response.json()
    assert len(response.json()["images"]) == 1


def test_only_coordination_registers_channels_and_the_token_is_checked(
        api, coordinator, fake_telegram):
    payload = {"name": "Nuevo", "kind": "telegram", "chat_id": "@nuevo",
               "credentials": {"bot_token": "123:valid"}}
    assert api.post("/api/channels/", payload, format="json").status_code == 403
    client = APIClient()
    client.force_authenticate(coordinator)
    bad = client.post("/api/channels/", {**payload, "credentials": {"bot_token": "1:bad"}}, format="json")
    assert bad.status_code == 400 and "token del bot" in bad.json()["credentials"][0]
    good = client.post("/api/channels/", payload, format="json")
    assert good.status_code == 201 and good.json()["institution"] is None


def test_openapi_description_is_published(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/posts/" in schema["paths"] and "/api/posts/{id}/" in schema["paths"]
    assert "/api/channels/" in schema["paths"]


def test_an_approval_is_needed_for_snt_channels_via_the_api(api):
    snt = make_channel("telegram", None, name="Telegram SNT")
    response = api.post("/api/posts/", {"text": "Propuesta", "channels": [snt.pk],
                                        "publish_at": (timezone.now() + timedelta(hours=3)).isoformat()},
                        format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "awaiting_approval" and response.json()["deliveries"] == []


def test_oversized_images_and_telegram_limits_are_refused(api, tg_channel):
    import os

    from PIL import Image as PILImage

    noise = PILImage.frombytes("RGB", (1600, 1600), os.urandom(1600 * 1600 * 3))
    big = io.BytesIO()
    noise.save(big, "PNG")
    assert big.tell() > 5 * 1024 * 1024
    big.seek(0)
    big.name = "enorme.png"
    response = api.post("/api/posts/", {"text": "Con imagen", "channels": [tg_channel.pk],
                                        "images": [big]}, format="multipart")
    assert response.status_code == 400 and "el máximo es 5 MB" in response.json()["images"][0]
    response = api.post("/api/posts/", {"text": "a" * 4100, "channels": [tg_channel.pk]}, format="json")
    assert response.status_code == 400
    assert "límite de Telegram (4096 caracteres) por" in response.json()["text"][0]
    assert not Post.objects.exists()


def test_the_openapi_description_answers_json_to_api_clients(db, client):
    response = client.get("/api/openapi.json", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "/api/posts/" in response.json()["paths"]


def test_the_api_documentation_page_is_served_without_a_cdn(db, client, officer_client):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js" in body
    assert "cdn." not in body and "unpkg" not in body and "jsdelivr" not in body
    token_page = officer_client.get("/admin/campanas/token/").content.decode()
    assert 'href="/api/docs/"' in token_page


def test_naive_publish_at_is_mexico_city_time_whatever_zone_is_active(api, tg_channel):
    from django.utils import timezone as tz

    with tz.override("America/Tijuana"):
        response = api.post("/api/posts/", {"text": "Mañana", "channels": [tg_channel.pk],
                                            "publish_at": "2027-05-04T10:00:00"}, format="json")
    assert response.status_code == 201
    due = Post.objects.get().publish_at
    assert due.astimezone(dt.UTC).hour == 16  # 10:00 in Mexico City (UTC-6), not Tijuana


@pytest.mark.parametrize("key", ["k" * 101, "clave\x7f", "clave-ñ"])
def test_an_idempotency_key_that_would_be_altered_is_refused(api, tg_channel, key):
    response = api.post("/api/posts/", {"text": "Una sola vez", "channels": [tg_channel.pk]},
                        format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()
    assert not Post.objects.exists()
