"""The admin reads booleans as words («Sí»/«No»), in listings and in exports."""

import re

import pytest

from network.admin_columns import yes_no
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_contacts_listing_says_si_and_no_instead_of_true_and_false(coordinator_client, infoem):
    PersonFactory(name="Contacto de la red", institution=infoem, in_network=True, is_public=False)
    html = coordinator_client.get("/admin/snippets/network/person/").content.decode()
    row = next(r for r in re.findall(r"<tr.*?</tr>", html, re.S) if "Contacto de la red" in r)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td.*?</td>", row, re.S)]
    assert "Sí" in cells and "No" in cells
    assert "True" not in row and "False" not in row


def test_contacts_export_says_si_and_no(coordinator_client, infoem):
    PersonFactory(name="Contacto exportado", institution=infoem, in_network=True, is_public=False)
    response = coordinator_client.get("/admin/snippets/network/person/?export=csv")
    csv_text = b"".join(response.streaming_content).decode("utf-8-sig")
    row = next(line for line in csv_text.splitlines() if "Contacto exportado" in line)
    assert row.endswith(",Sí,No"), row
    assert "True" not in csv_text and "False" not in csv_text


def test_yes_no_leaves_other_values_alone():
    assert (yes_no(True), yes_no(False), yes_no(None), yes_no(0), yes_no("x")) == (
        "Sí", "No", "—", 0, "x")
