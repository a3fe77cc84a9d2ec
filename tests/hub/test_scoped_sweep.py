"""A compact scoped sweep: an officer of INFOEM walks every admin URL of the network and
campaigns snippets, their choosers and the page chooser, each filled with the id of an ITEI
row (or page), reads nothing of ITEI in any answer, never gets a 500, and deletes nothing by
posting to the delete addresses. (The full sweep over every URL pattern and role is kept
outside the suite: it takes minutes.)"""

import re

import pytest
from django.urls import URLResolver, get_resolver
from wagtail.models import Page

from campaigns.models import Campaign, Channel, FeedSource, Post
from hub.models import GoodPracticePage, PracticeLibraryPage
from network.enums import PracticeTopic
from network.models import Event, Person
from tests.campaigns.factories import ChannelFactory, PostFactory
from tests.factories import EventFactory, PersonFactory

pytestmark = pytest.mark.django_db

MARK = "ZZITEI"
FAMILIES = re.compile(r"^admin/(snippets/(campaigns|network)/|snippets/choose/(campaigns|network)/"
                      r"|choose-page/)")


@pytest.fixture
def itei_rows(site, itei):
    home = Page.objects.get(depth=2)
    library = home.add_child(instance=PracticeLibraryPage(title="Buenas prácticas",
                                                          slug="buenas-practicas"))
    practice = library.add_child(instance=GoodPracticePage(
        title=f"{MARK} práctica en borrador", institution=itei, topic=PracticeTopic.ACCESS,
        intro="Resumen.", problem="<p>P.</p>", actions="<p>A.</p>", results="<p>R.</p>",
        live=False))
    channel = ChannelFactory(name=f"{MARK} canal", institution=itei, chat_id="@zzitei")
    return {
        Person: PersonFactory(name=f"{MARK} contacto", institution=itei,
                              email="zzitei@privado.example.org"),
        Event: EventFactory(title=f"{MARK} evento en borrador", live=False, organizers=[itei]),
        Channel: channel,
        Campaign: Campaign.objects.create(name=f"{MARK} campaña", institution=itei,
                                          objective="x", starts_on="2026-01-01",
                                          ends_on="2026-12-31"),
        Post: PostFactory(title=f"{MARK} publicación", text=f"{MARK} texto", institution=itei,
                          channels=[channel]),
        FeedSource: FeedSource.objects.create(institution=itei, name=f"{MARK} feed",
                                              url="https://zzitei.example.org/rss"),
        Page: practice,
    }


def _patterns():
    found = []

    def walk(resolver, prefix):
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry, route)
            elif FAMILIES.match(route):
                found.append((route, entry))

    walk(get_resolver(), "")
    return found


def _model(entry):
    kwargs = getattr(entry.callback, "view_initkwargs", {}) or {}
    model = kwargs.get("model") or getattr(getattr(entry.callback, "view_class", None),
                                           "model", None)
    return model if isinstance(model, type) else None


def _urls(rows):
    for route, entry in _patterns():
        params = re.findall(r"<(?:\w+:)?(\w+)>", route)
        if route.startswith("admin/choose-page/"):
            row = rows[Page]
        else:
            row = rows.get(_model(entry))
            if params and row is None:
                continue
        url = "/" + route
        for name in params:
            value = row.pk if name in ("pk", "parent_page_id") else 1
            url = re.sub(r"<(?:\w+:)?" + name + ">", str(value), url, count=1)
        yield url
        if not params:
            yield url + "?q=" + MARK.lower()  # the box echoes the words typed


def test_an_officer_reads_and_deletes_nothing_of_another_institution(officer_client, itei_rows):
    requested = 0
    for url in _urls(itei_rows):
        response = officer_client.get(url)
        requested += 1
        assert response.status_code < 500, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert MARK.encode() not in body, url
        if "/delete/" in url:
            officer_client.post(url)
    assert requested > 100
    for model, row in itei_rows.items():
        assert model.objects.filter(pk=row.pk).exists(), model
