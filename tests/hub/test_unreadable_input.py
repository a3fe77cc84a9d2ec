"""Numbers no database can hold and JSON nested beyond reason are bad input: a 400 in Spanish."""

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from campaigns.models import Post

HUGE = str(2**63)


def test_a_post_listing_filter_beyond_64_bits_is_refused_in_spanish(officer_client):
    response = officer_client.get("/admin/snippets/campaigns/post/", {"channels": HUGE})
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert "demasiado grande" in response.content.decode()


def test_the_composer_with_a_channel_beyond_64_bits_saves_nothing(officer_client):
    response = officer_client.post("/admin/snippets/campaigns/post/add/", {
        "title": "Prueba", "text": "Hola", "channels": HUGE, "publish_at": ""})
    assert response.status_code in (200, 400)
    assert not Post.objects.exists()


def test_json_nested_thousands_deep_is_refused(officer):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + Token.objects.create(user=officer).key)
    body = "[" * 5000 + "]" * 5000
    response = client.post("/api/posts/", body, content_type="application/json")
    assert response.status_code == 400
    assert not Post.objects.exists()


def test_a_lone_surrogate_in_api_json_is_refused_in_spanish(officer, infoem):
    from tests.campaigns.factories import make_channel

    channel = make_channel("telegram", infoem)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + Token.objects.create(user=officer).key)
    body = '{"text": "Hola \\ud800", "channels": [' + str(channel.pk) + "]}"
    response = client.post("/api/posts/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["text"] == ["No se admiten caracteres sustitutos sueltos (U+D800): "
                                       "revise la codificación del texto."]
    assert not Post.objects.exists()


def test_a_page_form_posted_without_a_field_every_browser_sends_is_a_400_and_saves_nothing(
        coordinator_client, site):
    # Wagtail's StreamField widget reads "body-count" unconditionally: a hand-made POST
    # without it must be refused in Spanish, never answered with a server error.
    from wagtail.models import Page

    before = Page.objects.count()
    response = coordinator_client.post(f"/admin/pages/add/hub/standardpage/{site.pk}/", {
        "title": "Hecha a mano", "slug": "hecha-a-mano"})
    assert response.status_code == 400
    assert "El formulario llegó incompleto" in response.content.decode()
    assert Page.objects.count() == before
