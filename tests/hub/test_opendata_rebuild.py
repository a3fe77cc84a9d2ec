"""After a change, a worker rebuilds the open data and the iCal feed before anyone asks.

The job stores the bytes a request would build under the new ETag, so the next request is
served from the cache with no more SQL than its validator; several quick changes ask for one
rebuild; a body is never kept under an ETag whose data it does not show."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

import pytest
from django.core.cache import cache
from icalendar import Calendar

from hub import opendata
from network import ical
from tests.factories import EventFactory
from tests.opendata_support import rows_from_the_cache

pytestmark = pytest.mark.django_db

URLS = ("/datos/eventos.json", "/datos/eventos.csv", "/calendario.ics")
# What a cache hit costs: the validator's aggregate queries, nothing else (eventos: events,
# institutions, commissions; the feed: events, institutions).
HIT_QUERIES = {"/datos/eventos.json": 3, "/datos/eventos.csv": 3, "/calendario.ics": 2}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def shared_cache(settings, tmp_path):
    """A cache every process shares, as production's Redis (files here, on any run)."""
    settings.CACHES = {**settings.CACHES, "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(tmp_path / "cache")}}


@pytest.fixture
def enqueued(monkeypatch, shared_cache):
    """The rebuild jobs sent to the broker, by name (nothing runs)."""
    sent: list[str] = []

    class Task:
        def apply_async(self, kwargs, **options):
            sent.append(kwargs["name"])

    monkeypatch.setattr(opendata, "_task", lambda name: Task())
    return sent


def content(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def titles(url: str, data: bytes) -> list[str]:
    if url.endswith(".json"):
        return [row["titulo"] for row in json.loads(data)["results"]]
    if url.endswith(".csv"):
        return [row["titulo"] for row in csv.DictReader(io.StringIO(data.decode("utf-8-sig")))]
    return [str(event["summary"]) for event in Calendar.from_ical(data).walk("VEVENT")]


def test_the_rebuild_produces_the_bytes_a_request_builds(client, infoem, itei):
    EventFactory(title="Foro, «datos»; y más", organizers=[infoem, itei],
                 registration_url="https://example.org/registro")
    EventFactory(title="=HYPERLINK(\"x\")", summary="Resumen")
    built_by_requests = {url: content(client.get(url)) for url in URLS}
    cache.clear()

    assert opendata.rebuild("datos:eventos") == 4  # JSON and CSV, in Spanish and English
    assert opendata.rebuild("calendario") == 2
    for url in URLS:
        assert content(client.get(url)) == built_by_requests[url], url
    # Run again (a duplicate job): nothing to build, nothing changes.
    assert opendata.rebuild("datos:eventos") == 0
    assert opendata.rebuild("calendario") == 0


def test_english_requests_find_their_rebuilt_body(client, settings,
                                                 django_assert_max_num_queries):
    EventFactory(title="Foro")
    opendata.rebuild("datos:eventos")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # chosen with the switcher
    with django_assert_max_num_queries(HIT_QUERIES["/datos/eventos.json"]):
        response = client.get("/datos/eventos.json")
    assert json.loads(content(response))["schema"]["titulo"] == "Network events"


@pytest.mark.parametrize("url", URLS)
def test_after_a_change_and_its_job_the_request_is_a_hit_showing_the_change(
        client, url, jobs_inline, django_capture_on_commit_callbacks,
        django_assert_max_num_queries):
    with django_capture_on_commit_callbacks(execute=True):
        event = EventFactory(title="Foro")
    assert titles(url, content(client.get(url))) == ["Foro"]

    with django_capture_on_commit_callbacks(execute=True):
        event.title = "Foro regional"
        event.save()
    with django_assert_max_num_queries(HIT_QUERIES[url]):
        response = client.get(url)
        data = content(response)
    assert response.status_code == 200
    assert titles(url, data) == ["Foro regional"]

    with django_capture_on_commit_callbacks(execute=True):
        event.unpublish()
    with django_assert_max_num_queries(HIT_QUERIES[url]):
        data = content(client.get(url))
    assert titles(url, data) == []


def test_two_quick_changes_enqueue_one_rebuild(enqueued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event = EventFactory(title="Foro")
    with django_capture_on_commit_callbacks(execute=True):
        event.title = "Foro regional"
        event.save()
    assert enqueued.count("datos:eventos") == 1
    assert enqueued.count("calendario") == 1

    opendata.rebuild("datos:eventos")  # the job runs: the next change asks again
    with django_capture_on_commit_callbacks(execute=True):
        event.title = "Foro nacional"
        event.save()
    assert enqueued.count("datos:eventos") == 2
    assert enqueued.count("calendario") == 1  # its job has not run yet


def test_many_writes_in_one_transaction_enqueue_one_rebuild(
        enqueued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for n in range(5):
            EventFactory(title=f"Foro {n}")
    assert enqueued.count("datos:eventos") == 1
    assert len(callbacks) < 10


def test_a_change_unrelated_to_a_dataset_enqueues_nothing(
        enqueued, django_capture_on_commit_callbacks):
    from tests.factories import AgreementFactory

    with django_capture_on_commit_callbacks(execute=True):
        AgreementFactory(title="Convenio")
    assert "datos:eventos" not in enqueued and "calendario" not in enqueued
    assert "datos:convenios" in enqueued


def test_a_broker_that_is_down_changes_nothing_for_the_saver(
        monkeypatch, client, shared_cache, django_capture_on_commit_callbacks):
    class Down:
        def apply_async(self, **kwargs):
            raise ConnectionError("broker down")

    monkeypatch.setattr(opendata, "_task", lambda name: Down())
    with django_capture_on_commit_callbacks(execute=True):
        EventFactory(title="Foro")
    # The request builds the body itself, and the next change may ask again.
    assert titles("/datos/eventos.json", content(client.get("/datos/eventos.json"))) == ["Foro"]
    assert cache.add("opendata:rebuild-pending:datos:eventos", True)


def test_a_body_is_not_kept_under_an_etag_whose_data_changed_during_the_build(client):
    EventFactory(title="Foro")
    dataset = opendata.get_dataset("eventos")
    before = opendata.validator(dataset)

    def rows_while_someone_saves():
        EventFactory(title="Otro foro")
        yield from dataset.rows()

    changing = dataclasses.replace(dataset, rows=rows_while_someone_saves, json_rows=None,
                                   csv_lines=None)
    assert opendata._rebuild_dataset(changing) == 0
    assert not cache.has_key(opendata._body_key("json", before))
    # The request path keeps nothing either; the next request shows both events.
    response = client.get("/datos/eventos.json")
    assert sorted(titles("/datos/eventos.json", content(response))) == ["Foro", "Otro foro"]


def test_a_feed_body_is_not_kept_under_an_etag_whose_data_changed(monkeypatch):
    EventFactory(title="Foro")
    filters = ical.default_filters()
    found = ical.validator(filters)
    render = ical.render

    def render_while_someone_saves(filters, now=None):
        body = render(filters, now)
        EventFactory(title="Otro foro")
        return body

    monkeypatch.setattr(ical, "render", render_while_someone_saves)
    body = ical.cached_body(filters, found)
    assert titles("/calendario.ics", body) == ["Foro"]
    assert not cache.has_key(ical._key(found))


def test_nothing_is_enqueued_when_no_request_could_use_the_rebuild(
        monkeypatch, settings, django_capture_on_commit_callbacks):
    """Without a shared cache (a run without Redis), a worker's bodies would stay in the
    worker's memory: no job is asked for, and requests build bodies as before."""
    settings.CACHES = {**settings.CACHES, "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    sent = []
    monkeypatch.setattr(opendata, "_task", lambda name: sent.append(name))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        EventFactory(title="Foro")
    assert sent == [] and not any(isinstance(c, opendata._AfterCommit) for c in callbacks)


# --- Every dataset of the hub app is rebuilt after a change to what it reads ------------------

def test_a_changed_quarterly_report_is_served_from_the_cache(
        client, jobs_inline, django_capture_on_commit_callbacks):
    from tests.hub.statistics_factories import QuarterlyReportFactory

    with django_capture_on_commit_callbacks(execute=True):  # committed, as in a real save
        report = QuarterlyReportFactory(requests_received=100)
    client.get("/datos/estadisticas.json")
    with django_capture_on_commit_callbacks(execute=True):
        report.requests_received = 120
        report.save()
    rows = rows_from_the_cache(client, "estadisticas")
    assert [row["solicitudes_recibidas"] for row in rows] == [120]


def test_a_changed_recommendation_is_served_from_the_cache(
        client, site, jobs_inline, django_capture_on_commit_callbacks):
    from hub.models import AssessmentRecommendation

    recommendation = AssessmentRecommendation.objects.order_by("pk").first()
    client.get("/datos/autodiagnostico-recomendaciones.json")
    with django_capture_on_commit_callbacks(execute=True):
        recommendation.text = "Publique su padrón de obra en formato abierto."
        recommendation.save()
    rows = rows_from_the_cache(client, "autodiagnostico-recomendaciones")
    assert "Publique su padrón de obra en formato abierto." in [r["recomendacion"] for r in rows]
    assert rows_from_the_cache(client, "autodiagnostico-preguntas")


def test_a_newly_published_practice_is_served_from_the_cache(
        client, site, jobs_inline, django_capture_on_commit_callbacks):
    from wagtail.models import Page

    from hub.models import PracticeLibraryPage
    from network.enums import PracticeTopic
    from tests.hub.test_practices import add_practice

    with django_capture_on_commit_callbacks(execute=True):
        library = PracticeLibraryPage(title="Buenas prácticas", slug="buenas-practicas")
        Page.objects.get(depth=2).add_child(instance=library)
        library.save_revision().publish()
    client.get("/datos/buenas-practicas.json")
    with django_capture_on_commit_callbacks(execute=True):
        add_practice(library, "Archivo municipal en orden", "INFOEM", PracticeTopic.ARCHIVES)
    rows = rows_from_the_cache(client, "buenas-practicas")
    assert [row["titulo"] for row in rows] == ["Archivo municipal en orden"]
