"""Attacks on the newest campaign screens as an outside checker makes them: absurd dates and
times, foreign and impossible ids, wrong formats. Every answer is a page or a Spanish message
(never a 500) and nothing changes."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, Post
from campaigns.sendtime import MEXICO_CITY

from .factories import PostFactory, publish_post


def _local(days: int, hour: int = 10, minute: int = 0) -> datetime:
    day = (timezone.now().astimezone(MEXICO_CITY) + timedelta(days=days)).date()
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=MEXICO_CITY)


@pytest.fixture
def scheduled(officer, infoem, tg_channel):
    return publish_post(officer, [tg_channel], title="Foro", institution=infoem,
                        publish_at=_local(2, 9, 15))


ODD_MOVES = [
    {"enviar_el": "31/12/9999 23:59"}, {"enviar_el": "01/01/0001 00:00"},
    {"enviar_el": "30/11/2026 10:00\x00"}, {"enviar_el": "x" * 100_000},
    {"enviar_el": "99999999999999999999/1/1 10:00"},
    {"fecha": "9999-12-31", "hora": "23:59"}, {"fecha": "0001-01-01", "hora": "00:00"},
    {"fecha": "0001-01-01"}, {"fecha": "2026-W60-1"}, {"fecha": "2026-12-01", "hora": "24:00"},
    {"fecha": "2026-12-01", "hora": "10:00+14:00"}, {"fecha": "2026-12-01", "hora": "-1"},
    {"fecha": "2026-12-01T10:00"}, {"fecha": "+2026-12-01"}, {},
]


@pytest.mark.parametrize("data", ODD_MOVES)
def test_odd_send_times_are_explained_and_change_nothing(officer_client, scheduled, data):
    before = (scheduled.publish_at, scheduled.revisions.count())
    url = reverse("campaigns_reschedule", args=[scheduled.pk])
    for headers in ({}, {"HTTP_ACCEPT": "application/json"}):
        response = officer_client.post(url, data, **headers)
        assert response.status_code == 400
    scheduled.refresh_from_db()
    assert (scheduled.publish_at, scheduled.revisions.count()) == before


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "2026-02-30", "x" * 5000,
                                   "2026-W48-1", "+2026-12-01"])
def test_plus_on_an_odd_day_opens_an_empty_editor(officer_client, value):
    response = officer_client.get(reverse("wagtailsnippets_campaigns_post:add"), {"fecha": value})
    assert response.status_code == 200


@pytest.mark.parametrize("params", [
    {"fecha": "2199-12-31", "vista": "semana"}, {"fecha": "2000-01-01", "vista": "semana"},
    {"fecha": "2000-01-01"}, {"institucion": "-1", "canal": "0"},
    {"institucion": "9" * 40, "canal": "9" * 40}, {"institucion": "٣"}, {"vista": "año"}])
def test_the_calendar_answers_odd_filters(officer_client, params):
    assert officer_client.get(reverse("campaigns_calendar"), params).status_code == 200


def test_the_calendar_filter_by_another_institution_shows_none_of_its_posts(
        officer_client, other_officer, itei, scheduled):
    from .factories import make_channel

    theirs = publish_post(other_officer, [make_channel("telegram", itei, name="Canal ITEI")],
                          title="Secreto de ITEI", institution=itei, publish_at=_local(2, 11))
    day = theirs.publish_at.astimezone(MEXICO_CITY).date().isoformat()
    for params in ({"fecha": day}, {"fecha": day, "institucion": str(itei.pk)},
                   {"fecha": day, "vista": "semana"}):
        page = officer_client.get(reverse("campaigns_calendar"), params).content.decode()
        assert "Secreto de ITEI" not in page and "Canal ITEI" not in page


def test_foreign_posts_campaigns_and_batches_are_not_found(other_officer_client, officer, infoem,
                                                            scheduled):
    today = timezone.localdate()
    campaign = Campaign.objects.create(name="Campaña INFOEM", institution=infoem, starts_on=today,
                                       ends_on=today + timedelta(days=30))
    draft = PostFactory(title="Borrador INFOEM", institution=infoem, author=officer)
    for url in (reverse("campaigns_reschedule", args=[scheduled.pk]),
                reverse("campaigns_queue_post", args=[draft.pk]),
                reverse("campaigns_post_report", args=[scheduled.pk]),
                reverse("campaigns_post_report", args=[scheduled.pk]) + "?formato=csv",
                reverse("campaigns_campaign_reach", args=[campaign.pk]) + "?formato=xlsx"):
        assert other_officer_client.get(url).status_code == 404, url
        assert other_officer_client.post(url, {"fecha": "2030-01-01"}).status_code in (404, 405), url
    draft.refresh_from_db()
    assert draft.publish_at is None and Post.objects.filter(live=True).count() == 1


@pytest.mark.parametrize("fmt", ["pdf", "CSV", "csv ", "x" * 300])
def test_exports_in_unknown_formats_are_not_found(officer_client, infoem, fmt):
    url = reverse("campaigns_institution_reach", args=[infoem.pk])
    assert officer_client.get(url, {"formato": fmt}).status_code == 404


def test_a_nul_byte_in_a_query_is_a_bad_request_not_an_error(officer_client, infoem):
    for url in (reverse("campaigns_calendar"), reverse("campaigns_institution_reach", args=[infoem.pk]),
                reverse("wagtailsnippets_campaigns_post:add")):
        assert officer_client.get(url, {"fecha": "\x00", "formato": "csv\x00"}).status_code == 400


# --- Posting slots: an inline form given another channel's row ids ---------------------------

def test_an_officer_cannot_take_over_or_delete_another_channels_posting_slot(
        other_officer_client, tg_channel, itei, fake_telegram):
    from campaigns.models import PostingSlot

    from .factories import make_channel

    theirs = PostingSlot.objects.create(channel=tg_channel, weekday=1, time="09:00", sort_order=0)
    own = make_channel("telegram", itei, name="Canal ITEI")
    edit = reverse("wagtailsnippets_campaigns_channel:edit", args=[own.pk])
    base = {"name": own.name, "kind": "telegram", "chat_id": "@itei", "active": "on",
            "institution": itei.pk, "slots-TOTAL_FORMS": "1", "slots-INITIAL_FORMS": "1",
            "slots-MIN_NUM_FORMS": "0", "slots-MAX_NUM_FORMS": "1000",
            "slots-0-id": str(theirs.pk), "slots-0-weekday": "5", "slots-0-time": "23:00",
            "slots-0-ORDER": "1"}
    for extra in ({}, {"slots-0-DELETE": "on"}):
        response = other_officer_client.post(edit, {**base, **extra})
        assert response.status_code in (200, 302, 400, 404)
        theirs.refresh_from_db()
        assert (theirs.channel_id, theirs.weekday, str(theirs.time)) == (tg_channel.pk, 1, "09:00:00")
