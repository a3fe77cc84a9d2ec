"""A snippet chooser offers no "create" form in this project: its create address (which no
screen uses, only someone typing it) is a 404 for who may add such rows and the usual refusal
for the others, never a 500 (Wagtail called ``is_valid`` on the missing form) nor an empty
form."""

import pytest
from django.test import Client

from network import rules
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CREATE = ["/admin/snippets/choose/campaigns/post/create/",
          "/admin/snippets/choose/campaigns/channel/create/",
          "/admin/snippets/choose/network/person/create/",
          "/admin/snippets/choose/network/event/create/",
          "/admin/snippets/choose/hub/quarterlyreport/create/",
          "/admin/snippets/choose/publications/author/create/"]


@pytest.fixture
def clients(officer, coordinator):
    made = {}
    for name, user in (("officer", officer), ("coordinator", coordinator),
                       ("editorial", UserFactory(username="editora", groups=[rules.EDITORIAL]))):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        made[name] = client
    return made


@pytest.mark.parametrize("url", CREATE)
@pytest.mark.parametrize("who", ["officer", "coordinator", "editorial"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_chooser_create_address_is_never_a_500(clients, who, url, method):
    response = getattr(clients[who], method)(url, {"title": "x", "name": "x"})
    assert response.status_code in (302, 403, 404), response.status_code
    if response.status_code == 302:  # refused: sent back to the dashboard
        assert response["Location"] == "/admin/"


def test_who_may_add_rows_gets_a_404(clients):
    for method in ("get", "post"):
        response = getattr(clients["coordinator"], method)(CREATE[0], {"title": "x"})
        assert response.status_code == 404


@pytest.mark.parametrize("url", ["/admin/documents/chooser/create/",
                                 "/admin/images/chooser/create/"])
def test_choosers_with_an_upload_form_keep_it(clients, url):
    response = clients["officer"].get(url)
    assert response.status_code == 200 and b"<form" in response.content
