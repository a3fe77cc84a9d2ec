"""Attacks on the posts listing's calendar-day filter ``?dia=`` and the calendar's week and
month views: absurd, impossible and malformed days answer a page (never a 500) and never show
another institution's posts."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.sendtime import MEXICO_CITY
from network import rules
from tests.factories import UserFactory

from .factories import make_channel, publish_post

ODD_DAYS = ["9999-12-31", "0001-01-01", "2026-02-30", str(2**63), "2026-11-30\x00", "%00",
            "2026-11-\x0130", "9" * 5000, "", "2026-W48-1", "+2026-12-01"]


def _answered(response) -> bool:
    """A page, or the Spanish 400 every address gives a query with control characters."""
    return response.status_code == 200 or (
        response.status_code == 400 and "caracteres de control" in response.content.decode())


@pytest.fixture
def theirs(other_officer, itei):
    day = (timezone.now().astimezone(MEXICO_CITY) + timedelta(days=2)).date()
    return publish_post(other_officer, [make_channel("telegram", itei, name="Canal ITEI")],
                        title="Secreto de ITEI", institution=itei,
                        publish_at=datetime(day.year, day.month, day.day, 11, tzinfo=MEXICO_CITY))


@pytest.mark.parametrize("value", ODD_DAYS + [["2026-11-30", "9999-12-31"]])
def test_an_odd_day_in_the_posts_listing_answers_a_page_without_others_posts(
        officer_client, theirs, value):
    response = officer_client.get(reverse("wagtailsnippets_campaigns_post:list"), {"dia": value})
    assert _answered(response)
    assert "Secreto de ITEI" not in response.content.decode()


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01"])
def test_a_day_beyond_the_calendar_is_refused_in_spanish(officer_client, value):
    response = officer_client.get(reverse("wagtailsnippets_campaigns_post:list"), {"dia": value})
    assert "Elija un día del calendario, entre el año 2000 y el 2199." in response.content.decode()


def test_the_day_of_another_institutions_post_lists_none_of_its_posts(officer_client, theirs):
    day = theirs.publish_at.astimezone(MEXICO_CITY).date().isoformat()
    for url in (reverse("wagtailsnippets_campaigns_post:list"),
                reverse("wagtailsnippets_campaigns_post:list_results")):
        response = officer_client.get(url, {"dia": day})
        assert response.status_code == 200
        assert "Secreto de ITEI" not in response.content.decode()


@pytest.mark.parametrize("value", ODD_DAYS + ["2199-12-31", "2000-01-01"])
@pytest.mark.parametrize("vista", ["semana", "mes"])
def test_an_odd_day_in_the_calendar_answers_a_page(officer_client, theirs, value, vista):
    response = officer_client.get(reverse("campaigns_calendar"), {"fecha": value, "vista": vista})
    assert _answered(response)
    assert "Secreto de ITEI" not in response.content.decode()


@pytest.mark.parametrize("name", ["wagtailsnippets_campaigns_post:list", "campaigns_calendar"])
def test_anonymous_visitors_are_sent_to_sign_in(client, theirs, name):
    response = client.get(reverse(name), {"dia": "2026-11-30", "fecha": "2026-11-30"})
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("group", ["coordinator", "editorial"])
@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "2026-02-30"])
def test_every_role_gets_a_page_for_an_odd_day(client, coordinator, group, value):
    client.force_login(coordinator if group == "coordinator" else
                       UserFactory(username="editora", groups=[rules.EDITORIAL]))
    for name, params in (("wagtailsnippets_campaigns_post:list", {"dia": value}),
                         ("campaigns_calendar", {"fecha": value, "vista": "semana"})):
        assert client.get(reverse(name), params).status_code == 200
