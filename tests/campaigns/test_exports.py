"""The campaigns' admin exports: scoped like the listings, and formulas go out as text."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.models import Campaign, Channel, Post

from .factories import CampaignFactory, ChannelFactory, PostFactory

FORMULA = '=HYPERLINK("https://malo.example","clic")'


@pytest.fixture
def typed_formulas(infoem, itei):
    ChannelFactory(institution=infoem, name="+cmd|' /C calc'!A0")
    CampaignFactory(institution=infoem, name="@SUM(1+1)", objective="-2+3")
    PostFactory(institution=infoem, title=FORMULA, text="\t=1+1")
    PostFactory(institution=itei, title="Del ITEI")


def _csv(client, model):
    response = client.get(reverse(model.snippet_viewset.get_url_name("list")), {"export": "csv"})
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.mark.parametrize("model", [Post, Channel, Campaign])
def test_no_cell_of_a_csv_export_starts_a_formula(officer_client, typed_formulas, model):
    rows = _csv(officer_client, model)
    assert len(rows) >= 2
    for row in rows[1:]:
        for cell in row:
            assert cell.lstrip()[:1] not in ("=", "+", "-", "@") and cell[:1] not in ("\t", "\r"), cell


def test_the_export_keeps_what_was_typed_and_only_the_users_rows(officer_client, typed_formulas):
    rows = _csv(officer_client, Post)
    cells = [cell for row in rows for cell in row]
    assert "'" + FORMULA in cells
    assert "Del ITEI" not in cells


def test_the_xlsx_export_writes_formulas_as_text(officer_client, typed_formulas):
    response = officer_client.get(reverse("wagtailsnippets_campaigns_post:list"), {"export": "xlsx"})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = [c.value for row in book.active.iter_rows() for c in row]
    assert "'" + FORMULA in values
    assert all(not (isinstance(v, str) and v.startswith("=")) for v in values)
