"""Reach per post, campaign and institution: labelled charts, CSV/XLSX downloads that keep
formulas as text, and no figure of another institution."""

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from campaigns.enums import DeliveryState
from campaigns.models import MetricSnapshot

from .factories import CampaignFactory, DeliveryFactory, PostFactory, make_channel

FORMULA = '=HYPERLINK("https://malo.example","clic")'


@pytest.fixture
def reach_rows(infoem, itei):
    """INFOEM: a campaign with two posts on X and Telegram; ITEI: its own secret campaign."""
    x, tg = make_channel("x", infoem, name="X INFOEM"), make_channel("telegram", infoem,
                                                                     name="Telegram INFOEM")
    campaign = CampaignFactory(institution=infoem, name="Semana de la transparencia")
    first = PostFactory(institution=infoem, campaign=campaign, title=FORMULA, live=True)
    second = PostFactory(institution=infoem, campaign=campaign, title="Segunda nota", live=True)
    now = timezone.now()
    sent = {"state": DeliveryState.SENT, "finished_at": now}
    d1 = DeliveryFactory(post=first, channel=x, impressions=1200, likes=30, reposts=7, replies=2,
                         **sent)
    DeliveryFactory(post=first, channel=tg, impressions=0, **sent)
    DeliveryFactory(post=second, channel=x, impressions=300, likes=4, reposts=1, replies=0, **sent)
    DeliveryFactory(post=second, channel=tg, state=DeliveryState.FAILED)  # never counted
    MetricSnapshot.objects.create(delivery=d1, taken_at=now - timedelta(days=1), impressions=500)
    MetricSnapshot.objects.create(delivery=d1, taken_at=now, impressions=1200, likes=30)
    other_x = make_channel("x", itei, name="X ITEI")
    secret = CampaignFactory(institution=itei, name="Campaña secreta ITEI")
    secret_post = PostFactory(institution=itei, campaign=secret, title="Nota secreta ITEI", live=True)
    DeliveryFactory(post=secret_post, channel=other_x, impressions=999, **sent)
    return {"campaign": campaign, "post": first, "secret": secret, "secret_post": secret_post}


def _csv(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_campaign_reach_shows_labelled_charts_and_totals(officer_client, reach_rows):
    url = reverse("campaigns_campaign_reach", args=[reach_rows["campaign"].pk])
    body = officer_client.get(url).content.decode()
    assert "Alcance de la campaña «Semana de la transparencia»" in body
    assert "Total: 1500 impresiones, 34 me gusta, 8 republicaciones, 2 respuestas." in body
    for heading in ("Impresiones por publicación", "Impresiones por canal",
                    "Impresiones acumuladas por día"):
        assert heading in body
    for label in ("Impresiones", "Me gusta", "Republicaciones", "Respuestas"):
        assert f'<th scope="col">{label}</th>' in body
    assert "<svg" in body and "X INFOEM" in body and "Segunda nota" in body
    assert "Nota secreta ITEI" not in body
    assert "X ITEI" not in body


def test_the_campaign_reach_downloads_as_csv_with_formulas_as_text(officer_client, reach_rows):
    url = reverse("campaigns_campaign_reach", args=[reach_rows["campaign"].pk])
    rows = _csv(officer_client.get(url, {"formato": "csv"}))
    assert rows[0] == ["Desglose", "Concepto", "Impresiones", "Me gusta", "Republicaciones",
                       "Respuestas"]
    by_post = [r for r in rows if r[0] == "Impresiones por publicación"]
    assert by_post == [["Impresiones por publicación", "'" + FORMULA, "1200", "30", "7", "2"],
                       ["Impresiones por publicación", "Segunda nota", "300", "4", "1", "0"]]
    for row in rows:
        for cell in row:
            assert cell[:1] not in ("=", "+", "-", "@", "\t"), cell
    today = timezone.localdate().strftime("%d/%m/%Y")
    yesterday = (timezone.localdate() - timedelta(days=1)).strftime("%d/%m/%Y")
    days = {r[1]: r[2] for r in rows if r[0].startswith("Impresiones acumuladas por día")}
    assert days[yesterday] == "500" and days[today] == "1200"


def test_the_institution_reach_downloads_as_xlsx(coordinator_client, reach_rows, infoem):
    url = reverse("campaigns_institution_reach", args=[infoem.pk])
    response = coordinator_client.get(url, {"formato": "xlsx"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    values = [[c.value for c in row] for row in book.active.iter_rows()]
    assert ["Impresiones por campaña", "Semana de la transparencia", 1500, 34, 8, 2] in values
    assert ["Impresiones por canal", "X INFOEM", 1500, 34, 8, 2] in values
    assert all(not str(v).startswith("=") for row in values for v in row if v is not None)
    assert "Nota secreta ITEI" not in str(values)


def test_the_post_report_charts_reach_per_channel_and_over_time(officer_client, reach_rows):
    url = reverse("campaigns_post_report", args=[reach_rows["post"].pk])
    body = officer_client.get(url).content.decode()
    assert "Impresiones por canal" in body and "Impresiones acumuladas por día (últimos 14 días)" in body
    rows = _csv(officer_client.get(url, {"formato": "csv"}))
    assert ["Impresiones por canal", "X INFOEM", "1200", "30", "7", "2"] in rows
    assert ["Impresiones por canal", "Telegram INFOEM", "0", "0", "0", "0"] in rows


def test_another_institutions_reach_is_not_found(officer_client, reach_rows, itei):
    for url in (reverse("campaigns_campaign_reach", args=[reach_rows["secret"].pk]),
                reverse("campaigns_institution_reach", args=[itei.pk]),
                reverse("campaigns_post_report", args=[reach_rows["secret_post"].pk])):
        for params in ({}, {"formato": "csv"}, {"formato": "xlsx"}):
            response = officer_client.get(url, params)
            assert response.status_code == 404, (url, params)
            assert b"secreta" not in response.content and b"X ITEI" not in response.content


def test_the_coordinator_sees_any_institution(coordinator_client, reach_rows, itei):
    body = coordinator_client.get(reverse("campaigns_institution_reach", args=[itei.pk])).content
    assert "Campaña secreta ITEI".encode() in body and b"<td>999</td>" in body


@pytest.mark.parametrize("suffix", ["0/", "99999999999999999999/", "abc/", "1%00/"])
def test_garbage_ids_never_fail(coordinator_client, suffix):
    for base in ("/admin/campanas/alcance/campana/", "/admin/campanas/alcance/institucion/"):
        assert coordinator_client.get(base + suffix).status_code == 404


def test_an_unknown_format_is_not_found_and_anonymous_users_are_sent_to_sign_in(
        coordinator_client, reach_rows, infoem):
    url = reverse("campaigns_institution_reach", args=[infoem.pk])
    assert coordinator_client.get(url, {"formato": "pdf"}).status_code == 404
    response = Client().get(url, {"formato": "csv"})
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_people_without_the_campaigns_role_see_no_reach(client, reach_rows, infoem):
    from tests.factories import UserFactory

    editor = UserFactory(username="editora", groups=["Comité Editorial"])
    client.force_login(editor)
    for url in (reverse("campaigns_campaign_reach", args=[reach_rows["campaign"].pk]),
                reverse("campaigns_institution_reach", args=[infoem.pk])):
        assert client.get(url, {"formato": "csv"}).status_code in (302, 403, 404)


@pytest.mark.django_db
def test_latest_snapshot_of_a_delivery_is_found_by_an_index():
    """A quarter's reach reads each delivery's latest snapshot before a date: without an index
    on (delivery, taken_at) PostgreSQL walked every snapshot by date for each delivery (the
    coordinator's dashboard took 25 s at 1,600 deliveries and 5,700 snapshots)."""
    from django.db import connection

    from campaigns.models import MetricSnapshot

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(
            cursor, MetricSnapshot._meta.db_table)
    columns = [c["columns"] for c in constraints.values() if c["index"]]
    assert ["delivery_id", "taken_at"] in columns
