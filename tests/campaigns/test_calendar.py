"""The publishing calendar: one entry per post, moving posts (domain and views), "+" on a day,
and the «Programadas» dashboard panel."""

import json
from datetime import datetime, timedelta
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision

from campaigns import delivery, planning
from campaigns.enums import DeliveryState
from campaigns.models import Delivery, Post
from campaigns.sendtime import MEXICO_CITY
from tests.factories import UserFactory

from .factories import PostFactory, make_channel, publish_post


def _local(days: int, hour: int = 10, minute: int = 0) -> datetime:
    day = (timezone.now().astimezone(MEXICO_CITY) + timedelta(days=days)).date()
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=MEXICO_CITY)


@pytest.fixture
def scheduled(officer, infoem, tg_channel, x_channel):
    """A live post of INFOEM on Telegram and X, due in two days at 09:15 Mexico City time."""
    return publish_post(officer, [tg_channel, x_channel], title="Foro de datos abiertos",
                        institution=infoem, publish_at=_local(2, 9, 15))


def _snapshot(post):
    post.refresh_from_db()
    return (post.publish_at, post.revisions.count(),
            sorted(post.deliveries.values_list("state", "due_at", "next_attempt_at")))


# --- Domain ------------------------------------------------------------------------------------

def test_reschedule_moves_the_post_and_every_pending_delivery(officer, scheduled):
    new = _local(5, 9, 15)
    old_revisions = scheduled.revisions.count()
    planning.reschedule(officer, scheduled, new)
    scheduled.refresh_from_db()
    assert scheduled.publish_at == new and scheduled.live
    assert scheduled.revisions.count() == old_revisions + 1
    assert scheduled.live_revision.as_object().publish_at == new  # the published version says so
    rows = list(scheduled.deliveries.all())
    assert len(rows) == 2
    assert all(d.due_at == new and d.next_attempt_at == new and d.state == DeliveryState.PENDING
               for d in rows)
    # A queue message for the old time finds nothing to send: the post still goes out once.
    assert all(delivery.claim(d.pk) is None for d in rows)


def test_reschedule_of_a_draft_changes_its_send_time_and_sends_nothing(officer, infoem, tg_channel):
    draft = PostFactory(title="Borrador", institution=infoem, author=officer,
                        channels=[tg_channel], publish_at=_local(1))
    planning.reschedule(officer, draft, _local(3, 12))
    draft.refresh_from_db()
    assert draft.publish_at == _local(3, 12) and not draft.live
    assert draft.get_latest_revision().as_object().publish_at == _local(3, 12)
    assert not draft.deliveries.exists()


def test_reschedule_refuses_a_past_time_and_changes_nothing(officer, scheduled):
    before = _snapshot(scheduled)
    with pytest.raises(planning.RescheduleRefused, match="ya pasó"):
        planning.reschedule(officer, scheduled, timezone.now() - timedelta(minutes=5))
    with pytest.raises(planning.RescheduleRefused, match="demasiado lejos"):
        planning.reschedule(officer, scheduled, datetime(9999, 12, 31, 23, 0, tzinfo=MEXICO_CITY))
    assert _snapshot(scheduled) == before


@pytest.mark.parametrize("changes", [
    {"state": DeliveryState.SENT}, {"state": DeliveryState.SENDING}, {"state": DeliveryState.FAILED},
    {"state": DeliveryState.UNCERTAIN}, {"attempts": 1},
])
def test_reschedule_refuses_a_post_that_started_sending(officer, scheduled, changes):
    first = scheduled.deliveries.order_by("pk").first()
    Delivery.objects.filter(pk=first.pk).update(**changes)
    before = _snapshot(scheduled)
    with pytest.raises(planning.RescheduleRefused, match="empezó a enviarse"):
        planning.reschedule(officer, scheduled, _local(4))
    assert _snapshot(scheduled) == before  # the other channel's delivery did not move either


def test_reschedule_refuses_another_institutions_officer(other_officer, scheduled):
    before = _snapshot(scheduled)
    with pytest.raises(planning.RescheduleRefused, match="No tiene permiso"):
        planning.reschedule(other_officer, scheduled, _local(4))
    assert _snapshot(scheduled) == before


def test_reschedule_refuses_a_user_without_the_permission_to_edit_posts(infoem, tg_channel):
    author = UserFactory(username="sin-permisos")  # in scope (the author) but no change_post
    post = PostFactory(title="Propia", author=author, channels=[tg_channel], publish_at=_local(1))
    with pytest.raises(planning.RescheduleRefused, match="No tiene permiso"):
        planning.reschedule(author, post, _local(2))
    post.refresh_from_db()
    assert post.publish_at == _local(1) and not Revision.objects.filter(object_id=str(post.pk)).exists()


def test_an_officer_cannot_move_a_live_post_on_an_snt_channel(officer, coordinator, infoem):
    snt = make_channel("telegram", None, name="Telegram del SNT")
    post = publish_post(coordinator, [snt], title="Aprobada", institution=infoem,
                        publish_at=_local(2))
    with pytest.raises(planning.RescheduleRefused, match="Coordinación"):
        planning.reschedule(officer, post, _local(3))
    planning.reschedule(coordinator, post, _local(3))
    assert post.deliveries.get().due_at == _local(3)


# --- The endpoint --------------------------------------------------------------------------

def _move_url(post):
    return reverse("campaigns_reschedule", args=[post.pk])


def test_dropping_on_another_day_moves_the_post_keeping_its_time(officer_client, scheduled):
    target = _local(6).date()
    response = officer_client.post(_move_url(scheduled), {"fecha": target.isoformat()},
                                   HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    answer = response.json()
    assert answer["ok"] and answer["day"] == target.isoformat() and answer["time"] == "09:15"
    assert "a las 09:15, hora del centro de México" in answer["message"]
    assert {d.due_at for d in scheduled.deliveries.all()} == {_local(6, 9, 15)}


@pytest.mark.parametrize("data", [
    {"fecha": "2020-01-01"}, {"fecha": "9999-12-31"}, {"fecha": "mañana"}, {"fecha": "\x00"},
    {"fecha": "2026-02-30"}, {}, {"fecha": _local(3).date().isoformat(), "hora": "25:00"},
    {"enviar_el": "31/02/2027 10:00"}, {"enviar_el": "x" * 5000},
])
def test_bad_or_past_dates_get_a_spanish_message_and_change_nothing(officer_client, scheduled, data):
    before = _snapshot(scheduled)
    response = officer_client.post(_move_url(scheduled), data, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    answer = response.json()
    assert not answer["ok"] and answer["message"]
    assert any(word in answer["message"] for word in ("No se reconoce", "ya pasó", "demasiado lejos"))
    assert _snapshot(scheduled) == before


def test_without_javascript_the_form_moves_the_post_and_returns_to_the_calendar(
        officer_client, scheduled):
    form = officer_client.get(_move_url(scheduled))
    assert form.status_code == 200
    assert "Cambiar fecha de envío" in form.content.decode()
    new = _local(8, 16, 45)
    response = officer_client.post(_move_url(scheduled), {"enviar_el": f"{new:%d/%m/%Y %H:%M}"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('campaigns_calendar')}?fecha={new.date().isoformat()}"
    scheduled.refresh_from_db()
    assert scheduled.publish_at == new
    refused = officer_client.post(_move_url(scheduled), {"enviar_el": "01/01/2020 10:00"})
    assert refused.status_code == 400 and "ya pasó" in refused.content.decode()
    assert officer_client.post(_move_url(scheduled), {"enviar_el": f"{_local(9):%Y-%m-%d %H:%M}",
                                                      "next": "https://evil.example/"})["Location"] \
        .startswith(reverse("campaigns_calendar"))


def test_another_institutions_post_is_not_found_and_unchanged(other_officer_client, scheduled):
    before = _snapshot(scheduled)
    response = other_officer_client.post(_move_url(scheduled), {"fecha": _local(4).date().isoformat()},
                                         HTTP_ACCEPT="application/json")
    assert response.status_code == 404
    assert other_officer_client.get(_move_url(scheduled)).status_code == 404
    assert _snapshot(scheduled) == before


def test_the_endpoint_answers_wrong_methods_and_ids_without_errors(officer_client, scheduled):
    assert officer_client.put(_move_url(scheduled)).status_code == 405
    assert officer_client.get("/admin/campanas/publicaciones/99999999999999999999/reprogramar/") \
        .status_code == 404


# --- The calendar, "+", the dashboard --------------------------------------------------------

def test_the_calendar_shows_one_entry_per_post_with_its_networks(officer_client, scheduled, itei):
    ajena = publish_post(None, [make_channel("x", itei, name="X de ITEI")], title="Aviso jalisciense",
                         institution=itei, publish_at=_local(2, 11))
    day = scheduled.publish_at.astimezone(MEXICO_CITY).date()
    body = officer_client.get(reverse("campaigns_calendar"),
                              {"vista": "semana", "fecha": day.isoformat()}).content.decode()
    assert body.count(f'data-post="{scheduled.pk}"') == 1  # one entry, not one per channel
    assert "Telegram: telegram INFOEM (programada)" in body and "X: x INFOEM (programada)" in body
    assert f'data-move-url="{_move_url(scheduled)}"' in body
    assert reverse("wagtailsnippets_campaigns_post:edit", args=[scheduled.pk]) in body
    assert "09:15" in body and ajena.title not in body
    today = timezone.now().astimezone(MEXICO_CITY).date()
    add = reverse("wagtailsnippets_campaigns_post:add")
    month = officer_client.get(reverse("campaigns_calendar"), {"fecha": today.isoformat()}).content.decode()
    assert f"{add}?fecha={today.isoformat()}" in month
    assert f"{add}?fecha={(today - timedelta(days=1)).isoformat()}" not in month  # no "+" on past days


def test_the_week_view_puts_a_post_in_the_row_of_its_hour(officer_client, scheduled):
    import re

    day = scheduled.publish_at.astimezone(MEXICO_CITY).date()
    body = officer_client.get(reverse("campaigns_calendar"),
                              {"vista": "semana", "fecha": day.isoformat()}).content.decode()
    rows = re.findall(r'<tr class="[^"]*">\s*<th scope="row" class="hour-col">(\d\d:00)</th>(.*?)</tr>',
                      body, re.S)
    assert [label for label, _ in rows] == [f"{h:02d}:00" for h in range(24)]
    busy = [label for label, cells in rows if f'data-post="{scheduled.pk}"' in cells]
    assert busy == ["09:00"]  # 09:15 Mexico City time
    assert f'data-day="{day.isoformat()}" data-hour="9"' in body
    today = timezone.now().astimezone(MEXICO_CITY).date()
    past = today - timedelta(days=1)
    earlier = officer_client.get(reverse("campaigns_calendar"),
                                 {"vista": "semana", "fecha": past.isoformat()}).content.decode()
    assert f'data-day="{past.isoformat()}"' not in earlier  # nothing can be dropped in the past


def test_dropping_on_an_hour_slot_moves_the_post_keeping_its_minutes(officer_client, scheduled):
    target = _local(4).date()
    response = officer_client.post(_move_url(scheduled), {"fecha": target.isoformat(),
                                                          "hora": "17:15"},
                                   HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.json()["time"] == "17:15"
    assert {d.due_at for d in scheduled.deliveries.all()} == {_local(4, 17, 15)}


def test_a_sent_post_opens_its_report_and_cannot_be_dragged(officer_client, scheduled):
    scheduled.deliveries.update(state=DeliveryState.SENT)
    day = scheduled.publish_at.astimezone(MEXICO_CITY).date()
    body = officer_client.get(reverse("campaigns_calendar"),
                              {"vista": "semana", "fecha": day.isoformat()}).content.decode()
    assert reverse("campaigns_post_report", args=[scheduled.pk]) in body
    assert "data-move-url" not in body and "Enviada" in body


def test_plus_on_a_day_opens_the_editor_with_that_day_at_ten(officer_client):
    add = reverse("wagtailsnippets_campaigns_post:add")
    day = _local(3).date()
    body = officer_client.get(add, {"fecha": day.isoformat()}).content.decode()
    assert f'value="{day:%d/%m/%Y} 10:00"' in body
    assert officer_client.get(add, {"fecha": "\x00"}).status_code == 400  # hub.security
    for bad in ("2020-01-01", "9999-12-31", "ayer", "2026-13-01"):
        response = officer_client.get(add, {"fecha": bad})
        assert response.status_code == 200
        text = response.content.decode()
        assert "elija la fecha de envío en el formulario" in text
        assert 'name="publish_at" value="' not in text


def test_the_dashboard_lists_the_next_scheduled_posts_of_the_officers_institution(
        officer_client, scheduled, itei, coordinator):
    publish_post(None, [make_channel("x", itei, name="X de ITEI")], title="Aviso de ITEI",
                 institution=itei, publish_at=_local(1))
    body = officer_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Programadas" in body and "Foro de datos abiertos" in body and "Aviso de ITEI" not in body
    assert "Nueva publicación" in body and reverse("campaigns_calendar") in body
    assert "09:15" in body
    officer_client.force_login(coordinator)
    everyone = officer_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Foro de datos abiertos" in everyone and "Aviso de ITEI" in everyone


def test_the_dashboard_says_when_nothing_is_scheduled(officer_client):
    body = officer_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "No hay publicaciones programadas." in body


def test_a_moved_post_leaves_the_json_answer_well_formed_for_the_script(officer_client, scheduled):
    response = officer_client.post(_move_url(scheduled), {"fecha": _local(7).date().isoformat(),
                                                          "hora": "18:30"},
                                   HTTP_ACCEPT="application/json")
    assert json.loads(response.content)["time"] == "18:30"
    assert Post.objects.get(pk=scheduled.pk).publish_at == _local(7, 18, 30)


def test_the_calendar_and_the_dashboard_read_a_fixed_number_of_queries_however_many_posts(
        officer, officer_client, infoem, tg_channel, x_channel):
    """A busy month costs the same queries as a quiet one (no query per post)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url, params):
        officer_client.get(url, params)  # warm the caches a first request fills
        with CaptureQueriesContext(connection) as queries:
            assert officer_client.get(url, params).status_code == 200
        return len(queries)

    pages = {"month": (reverse("campaigns_calendar"), {"fecha": _local(8).date().isoformat()}),
             "week": (reverse("campaigns_calendar"),
                      {"vista": "semana", "fecha": _local(8).date().isoformat()}),
             "home": (reverse("wagtailadmin_home"), {})}
    snt = make_channel("telegram", None, name="Telegram SNT")
    PostFactory(title="Borrador uno", institution=infoem, publish_at=_local(8, 8))
    publish_post(officer, [tg_channel, x_channel], title="Uno", institution=infoem,
                 publish_at=_local(8, 9))
    before = {name: count(*page) for name, page in pages.items()}
    for hour in range(10, 20):
        publish_post(officer, [tg_channel, x_channel], title=f"Publicación {hour}",
                     institution=infoem, publish_at=_local(8, hour))
        PostFactory(title=f"Borrador {hour}", institution=infoem, publish_at=_local(8, hour, 30))
    publish_post(None, [snt], title="Aviso del SNT", institution=None, publish_at=_local(8, 21))
    after = {name: count(*page) for name, page in pages.items()}
    assert after == before


def test_a_post_locked_by_someone_else_cannot_be_dragged_or_moved(officer_client, scheduled,
                                                                 coordinator):
    before = _snapshot(scheduled)
    Post.objects.filter(pk=scheduled.pk).update(locked=True, locked_by=coordinator,
                                                locked_at=timezone.now())
    day = scheduled.publish_at.astimezone(MEXICO_CITY).date()
    body = officer_client.get(reverse("campaigns_calendar"),
                              {"vista": "semana", "fecha": day.isoformat()}).content.decode()
    assert f'data-post="{scheduled.pk}"' in body and "data-move-url" not in body
    response = officer_client.post(_move_url(scheduled), {"fecha": _local(5).date().isoformat()},
                                   HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and "bloqueada" in response.json()["message"]
    assert _snapshot(scheduled) == before


def test_a_busy_day_of_the_month_shows_four_posts_and_opens_its_week_for_the_rest(
        officer_client, officer, infoem, tg_channel):
    """The network's busiest days hold dozens of posts: the month showed every one (at 1,600
    posts a month, a page of 2.6 MB that took 17 s to draw). A day shows four, then «+N más»
    opens that day's week, which shows them all."""
    import re

    posts = [publish_post(officer, [tg_channel], title=f"Aviso {n}", institution=infoem,
                          publish_at=_local(3, 9 + n)) for n in range(7)]
    day = posts[0].publish_at.astimezone(MEXICO_CITY).date()
    month = officer_client.get(reverse("campaigns_calendar"), {"fecha": day.isoformat()})
    body = month.content.decode()
    shown = [p for p in posts if f'data-post="{p.pk}"' in body]
    assert shown == posts[:4]  # the first four, in time order
    more = re.search(r'<a class="enlace-more" href="([^"]+)">\s*\+3 más', body)
    assert more, body[body.find("enlace-more") - 200:body.find("enlace-more") + 300]
    week = officer_client.get(reverse("campaigns_calendar") + more.group(1).replace("&amp;", "&"))
    assert all(f'data-post="{p.pk}"' in week.content.decode() for p in posts)
    assert f"fecha={day.isoformat()}" in more.group(1) and "vista=semana" in more.group(1)


def test_the_month_reads_only_the_posts_it_draws(officer_client, officer, infoem, tg_channel):
    """A busy day's hidden posts are counted by the database, never read: at 1,600 posts a
    month Coordinación's month read every one to draw a hundred."""
    from django.db.models.signals import post_init

    posts = [publish_post(officer, [tg_channel], title=f"Aviso {n}", institution=infoem,
                          publish_at=_local(3, 9 + n)) for n in range(7)]
    drafts = [PostFactory(title=f"Borrador {n}", institution=infoem, channels=[tg_channel],
                          publish_at=_local(3, 20, n)) for n in range(3)]
    read = set()

    def seen(sender, instance, **kwargs):
        read.add(instance.pk)

    post_init.connect(seen, sender=Post)
    try:
        body = officer_client.get(reverse("campaigns_calendar"),
                                  {"fecha": posts[0].publish_at.astimezone(MEXICO_CITY)
                                   .date().isoformat()}).content.decode()
    finally:
        post_init.disconnect(seen, sender=Post)
    assert [p for p in posts if f'data-post="{p.pk}"' in body] == posts[:4]
    assert "+6 más" in body and "ver las 10 publicaciones" in body
    assert read.isdisjoint(p.pk for p in posts[4:] + drafts)


def test_a_busy_hour_of_the_week_shows_three_and_opens_the_listing_of_its_day(
        officer_client, officer, infoem, tg_channel):
    """The week drew every post of its hours (hundreds for Coordinación in a busy week). An
    hour shows three, then «+N más» (with the total for screen readers) opens the posts
    listing filtered to that day and hour, which holds them all and no other day's."""
    import re

    posts = [publish_post(officer, [tg_channel], title=f"Aviso {n}", institution=infoem,
                          publish_at=_local(3, 10, n)) for n in range(4)]
    draft = PostFactory(title="Borrador de las diez", institution=infoem, channels=[tg_channel],
                        publish_at=_local(3, 10, 40))
    other = publish_post(officer, [tg_channel], title="Otro día", institution=infoem,
                         publish_at=_local(4, 10))
    day = _local(3).date()
    body = officer_client.get(reverse("campaigns_calendar"),
                              {"vista": "semana", "fecha": day.isoformat()}).content.decode()
    assert [p for p in posts + [draft] if f'data-post="{p.pk}"' in body] == posts[:3]
    more = re.search(r'<a class="enlace-more" href="([^"]+)">\s*\+2 más'
                     r'<span class="w-sr-only">([^<]+)</span>', body)
    assert more, body[body.find("enlace-more") - 200:body.find("enlace-more") + 400]
    assert "5 publicaciones" in more.group(2) and "10:00" in more.group(2)
    listing = officer_client.get(more.group(1).replace("&amp;", "&")).content.decode()
    assert all(p.title in listing for p in posts + [draft]) and other.title not in listing
    assert officer_client.get(reverse("wagtailsnippets_campaigns_post:list"),
                              {"dia": "31/02/2026"}).status_code == 200


def test_a_day_of_the_week_draws_at_most_24_posts_each_busy_hour_first(officer_client, infoem,
                                                                       tg_channel):
    """Two posts in each of 13 hours: the day draws 24, every hour its first, the earliest
    hours their second; the last two hours say «+1 más»."""
    import re

    posts = {(hour, n): PostFactory(title=f"Borrador {hour}:{n}", institution=infoem,
                                    channels=[tg_channel], publish_at=_local(3, hour, 10 * n))
             for hour in range(8, 21) for n in range(2)}
    body = officer_client.get(reverse("campaigns_calendar"), {
        "vista": "semana", "fecha": _local(3).date().isoformat()}).content.decode()
    drawn = {key for key, post in posts.items() if f'data-post="{post.pk}"' in body}
    assert len(drawn) == 24 and all((hour, 0) in drawn for hour in range(8, 21))
    assert drawn.isdisjoint({(19, 1), (20, 1)})
    assert len(re.findall(r'class="enlace-more"[^>]*>\s*\+1 más', body)) == 2


@pytest.fixture
def busy_ten_oclock(coordinator, infoem, itei):
    """Day three at 10:00 (Mexico City), crowded on each institution's channels; and traps: a
    post on INFOEM's and ITEI's channels whose ITEI delivery goes the next day, a post at
    11:00 and one the next day."""
    channels = {"infoem": make_channel("telegram", infoem), "itei": make_channel("telegram", itei),
                "snt": make_channel("telegram", None), "infoem_x": make_channel("x", infoem)}

    def posts(key, count, minute):
        return {publish_post(coordinator, [channels[key]], title=f"Aviso-{key}-{n}",
                             institution=None, publish_at=_local(3, 10, minute + n)).title
                for n in range(count)}

    made = {"infoem": posts("infoem", 4, 0) | posts("infoem_x", 1, 5),
            "itei": posts("itei", 4, 10), "snt": posts("snt", 4, 20)}
    made["infoem"].add(PostFactory(title="Borrador-infoem", institution=infoem,
                                   channels=[channels["infoem"]], publish_at=_local(3, 10, 40)).title)
    both = publish_post(coordinator, [channels["infoem"], channels["itei"]], title="Mixta-infoem",
                        institution=None, publish_at=_local(3, 10, 50))
    Delivery.objects.filter(post=both, channel=channels["itei"]).update(due_at=_local(4, 10, 50))
    made["infoem"].add(both.title)
    made["later"] = {publish_post(coordinator, list(channels.values()), title=title,
                                  institution=None, publish_at=when).title
                     for title, when in (("Once-todas", _local(3, 11)),
                                         ("Otro-dia-todas", _local(4, 10)))}
    return channels, made


ITEI_AT_TEN = {f"Aviso-itei-{n}" for n in range(4)}


@pytest.mark.parametrize("filters, cell", [
    (lambda c: {"institucion": str(c["infoem"].institution_id)}, {"infoem"}),
    (lambda c: {"institucion": "snt"}, {"snt"}),
    (lambda c: {"canal": str(c["itei"].pk)}, {"itei"}),
    (lambda c: {"institucion": str(c["itei"].institution_id), "canal": str(c["itei"].pk)},
     {"itei"}),
    (lambda c: {}, {"infoem", "itei", "snt"}),
])
def test_more_of_a_busy_hour_opens_the_listing_of_that_hour_with_the_calendars_filters(
        coordinator_client, busy_ten_oclock, filters, cell):
    """«+N más» of an hour in a filtered week dropped the institution and channel: the listing
    showed the whole network's posts of that day. It now shows exactly that hour's posts on
    the channels the calendar was filtered to (those drawn and those hidden)."""
    import re

    channels, made = busy_ten_oclock
    body = coordinator_client.get(reverse("campaigns_calendar"), {
        "vista": "semana", "fecha": _local(3).date().isoformat(), **filters(channels)}
    ).content.decode()
    expected = set().union(*(made[key] for key in cell))
    links = re.findall(r'<a class="enlace-more" href="([^"]+)">\s*\+(\d+) más', body)
    assert len(links) == 1, links
    assert int(links[0][1]) == len(expected) - 3
    listing = coordinator_client.get(links[0][0].replace("&amp;", "&"))
    assert listing.status_code == 200
    assert _titles(listing.content.decode()) == expected


def _titles(body: str) -> set[str]:
    import re

    return set(re.findall(r"(?:Aviso|Borrador|Mixta|Once|Otro)-[\w-]+", body))


@pytest.mark.parametrize("filters, expected", [
    (lambda c: {"channels": c["itei"].pk}, ITEI_AT_TEN | {"Once-todas"}),
    (lambda c: {"channels": c["itei"].pk, "hora": 10}, ITEI_AT_TEN),
    (lambda c: {"institucion": c["itei"].institution_id}, ITEI_AT_TEN | {"Once-todas"}),
    (lambda c: {"institucion": "snt", "hora": 11}, {"Once-todas"}),
    (lambda c: {"institucion": c["infoem"].institution_id, "channels": c["infoem_x"].pk,
                "hora": 10}, {"Aviso-infoem_x-0"}),
    (lambda c: {"hora": 11}, {"Once-todas"}),
])
def test_the_posts_listing_honours_each_calendar_filter_together_with_the_day(
        coordinator_client, busy_ten_oclock, filters, expected):
    """The listing of a calendar day keeps the calendar's meaning of each filter: a post due
    that day on one channel and on another channel the next day is not that other channel's
    (nor its institution's) post of the day."""
    channels, _made = busy_ten_oclock
    listing = coordinator_client.get(reverse("wagtailsnippets_campaigns_post:list"), {
        "dia": _local(3).date().isoformat(), **filters(channels)})
    assert listing.status_code == 200
    assert _titles(listing.content.decode()) == expected


def test_an_hour_without_its_day_is_refused_in_spanish(coordinator_client, busy_ten_oclock):
    listing = coordinator_client.get(reverse("wagtailsnippets_campaigns_post:list"),
                                     {"hora": "10"})
    assert listing.status_code == 200
    assert "Elija también el día del calendario." in listing.content.decode()


@pytest.mark.parametrize("filters, expected", [
    (lambda c: {"dia": _local(3).date().isoformat(), "hora": "10"}, ITEI_AT_TEN),
    (lambda c: {"dia": _local(3).date().isoformat(),
                "institucion": str(c["itei"].institution_id)}, ITEI_AT_TEN),
    (lambda c: {"institucion": "snt"}, set()),
    (lambda c: {"channels": c["itei"].pk, "live": "true"}, ITEI_AT_TEN),
])
def test_the_listing_a_busy_hour_opens_can_be_searched(coordinator_client, busy_ten_oclock,
                                                        filters, expected):
    """«+N más» opens the listing of an hour; typing in its search box (to find some posts
    among them) answered «Error del servidor» whatever was typed."""
    channels, _made = busy_ten_oclock
    for url in (reverse("wagtailsnippets_campaigns_post:list"),
                reverse("wagtailsnippets_campaigns_post:list_results")):
        listing = coordinator_client.get(url, {**filters(channels), "q": "itei"})
        assert listing.status_code == 200
        assert _titles(listing.content.decode()) == expected


@pytest.mark.parametrize("extra", [{}, {"q": "Aviso"}])
def test_deleting_every_post_of_an_hours_listing_deletes_that_hours_posts_only(
        coordinator_client, busy_ten_oclock, extra):
    """«+N más» opens the listing of an hour; «select all N in the listing» there (the bulk
    action is sent with the listing's filters) then «Delete» offered and deleted every post
    of the network, not the N of that hour."""
    channels, made = busy_ten_oclock
    cell = {"dia": _local(3).date().isoformat(), "hora": "10",
            "institucion": str(channels["itei"].institution_id), **extra}
    url = "/admin/bulk/campaigns/post/delete/?" + urlencode({"id": "all", **cell})
    assert _titles(coordinator_client.get(url).content.decode()) == ITEI_AT_TEN
    coordinator_client.post(url)
    assert not Post.objects.filter(title__in=ITEI_AT_TEN).exists()
    assert Post.objects.filter(title__in=made["infoem"] | made["later"]).count() == len(
        made["infoem"] | made["later"])
