"""Two requests no admin screen makes, only someone typing or replaying them, answered a 500
from Wagtail's own code: the external-link chooser posted without its URL field, and asking to
reorder the tree's root among its (nonexistent) siblings. Each is now a plain answer."""

import pytest
from django.test import Client
from wagtail.models import Page

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(officer, coordinator):
    made = []
    for user in (officer, coordinator):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        made.append(client)
    return made


@pytest.mark.parametrize("data", [{}, {"external-link-chooser-link_text": "Sitio"}])
def test_the_external_link_chooser_without_its_url_asks_for_it(staff, data):
    for client in staff:
        response = client.post("/admin/choose-external-link/", data)
        assert response.status_code == 200
        assert response.json()["step"] == "external_link"  # the form again, with its error


def test_the_external_link_chooser_still_takes_a_link(staff):
    response = staff[0].post("/admin/choose-external-link/",
                             {"external-link-chooser-url": "https://example.org/aviso"})
    assert response.json()["result"]["url"] == "https://example.org/aviso"


@pytest.mark.parametrize("query", ["", "?position=0", "?position=abc"])
def test_the_root_page_has_no_position_to_set(staff, query):
    root = Page.get_first_root_node()
    for client in staff:
        assert client.post(f"/admin/pages/{root.pk}/set_position/{query}").status_code == 404
