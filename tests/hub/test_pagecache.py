"""The anonymous page cache: hits run no SQL, only safe answers are stored, and every change a
visitor can see purges it (hub/pagecache.py, hub.middleware.PageCacheMiddleware)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from wagtail.models import PageViewRestriction

from contests.domain.results import publish_results
from contests.enums import EntryStatus
from contests.models import ResultsPublication
from hub import pagecache
from hub.models import StandardPage
from tests.contests.factories import AwardFactory, CallFactory, EntryFactory
from tests.factories import EventFactory, VideoCapsuleFactory
from tests.hub import pagecache_urls

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.ENLACE_PAGE_CACHE_SECONDS = 600
    pagecache.store().clear()
    yield
    pagecache.store().clear()


def html(response) -> str:
    return response.content.decode()


def test_a_second_visit_is_a_hit_that_runs_no_sql(client, site, django_assert_num_queries):
    first = client.get("/")
    assert first.status_code == 200 and first["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second.status_code == 200 and second["X-Cache"] == "hit"
    assert second.content == first.content
    for header in ("Content-Type", "Content-Language", "Content-Security-Policy", "Vary"):
        assert second[header] == first[header]


def test_head_is_answered_from_the_cache_without_a_body(client, site):
    body = client.get("/").content
    head = client.head("/")
    assert head.status_code == 200 and head["X-Cache"] == "hit"
    assert head.content == b""
    assert int(head["Content-Length"]) == len(body)


def test_head_alone_does_not_store(client, site):
    client.head("/")
    assert client.get("/")["X-Cache"] == "miss"


def test_query_strings_are_cached_apart(client, site):
    client.get("/calendario/?vista=lista")
    assert client.get("/calendario/")["X-Cache"] == "miss"
    assert client.get("/calendario/?vista=lista")["X-Cache"] == "hit"
    assert client.get("/calendario/?vista=lista&tipo=foro")["X-Cache"] == "miss"


def test_languages_are_cached_apart(client, site):
    assert 'lang="es-MX"' in html(client.get("/"))
    client.cookies["django_language"] = "en"
    english = client.get("/")
    assert english["X-Cache"] == "miss" and 'lang="en"' in html(english)
    assert client.get("/")["X-Cache"] == "hit"
    client.cookies["django_language"] = "es-mx"
    spanish = client.get("/")
    assert spanish["X-Cache"] == "hit" and 'lang="es-MX"' in html(spanish)
    # An unknown language is the default language, and so the same page.
    client.cookies["django_language"] = "fr"
    assert client.get("/")["X-Cache"] == "hit"


def test_a_signed_in_user_is_never_served_a_cached_page(client, site, coordinator):
    client.get("/")
    client.force_login(coordinator)
    response = client.get("/")
    assert "X-Cache" not in response
    assert "userbar" in html(response)  # rendered for them, with the editor's toolbar


def test_a_signed_in_user_never_stores_a_page(client, site, coordinator):
    client.force_login(coordinator)
    client.get("/")
    client.get("/")
    client.logout()
    client.cookies.clear()
    assert client.get("/")["X-Cache"] == "miss"


def test_an_unknown_cookie_bypasses_the_cache(client, site):
    client.get("/")
    client.cookies["messages"] = "pending"
    assert "X-Cache" not in client.get("/")


@pytest.mark.parametrize("path", [
    "/", "/instituciones/", "/calendario/", "/calendario/?vista=lista", "/capsulas/",
    "/concursos/", "/acervo/", "/datos/", "/aviso-de-privacidad/", "/contacto/",
])
def test_public_pages_set_no_cookie_and_carry_no_csrf_token(client, site, path):
    for expected in ("miss", "hit"):
        response = client.get(path)
        assert response.status_code == 200 and response["X-Cache"] == expected
        assert "Set-Cookie" not in response and not response.cookies
        assert "csrfmiddlewaretoken" not in html(response)
    assert not client.cookies


def test_institution_event_and_contest_pages_set_no_cookie(client, site, infoem):
    event = EventFactory(title="Foro abierto", organizers=[infoem])
    call = CallFactory()
    for path in (f"/instituciones/{infoem.slug}/", f"/calendario/{event.slug}/", call.url,
                 call.get_parent().url):
        response = client.get(path)
        assert response.status_code == 200 and "Set-Cookie" not in response, path
        assert "csrfmiddlewaretoken" not in html(response)
        assert client.get(path)["X-Cache"] == "hit", path
    assert not client.cookies


# --- What is never stored ----------------------------------------------------------------------

@pytest.mark.django_db  # a 404 asks the redirects table
@pytest.mark.urls("tests.hub.pagecache_urls")
@pytest.mark.parametrize("path", ["/privada/", "/nunca/", "/exenta/", "/formulario/",
                                  "/galleta/", "/breve/", "/falta/", "/datos.json",
                                  "/admin/simple/"])
def test_answers_that_must_not_be_shared_are_never_stored(client, path):
    first = client.get(path)
    client.cookies.clear()
    second = client.get(path)
    assert second.get("X-Cache") != "hit"
    assert first.content != second.content  # the view ran again


@pytest.mark.urls("tests.hub.pagecache_urls")
def test_a_plain_page_is_stored(client):
    first = client.get("/simple/")
    assert first["X-Cache"] == "miss"
    second = client.get("/simple/")
    assert second["X-Cache"] == "hit" and second.content == first.content


@pytest.mark.urls("tests.hub.pagecache_urls")
def test_posts_are_never_served_from_the_cache(client):
    client.get("/simple/")
    before = pagecache_urls.CALLS["count"]
    client.post("/simple/")
    assert pagecache_urls.CALLS["count"] == before + 1


@pytest.mark.urls("tests.hub.pagecache_urls")
def test_zero_seconds_turns_the_cache_off(client, settings):
    settings.ENLACE_PAGE_CACHE_SECONDS = 0
    client.get("/simple/")
    assert "X-Cache" not in client.get("/simple/")


# --- Purges --------------------------------------------------------------------------------

def _cached(client, path: str) -> str:
    client.get(path)
    response = client.get(path)
    assert response["X-Cache"] == "hit", path
    return html(response)


def test_publishing_a_page_shows_it_at_once(client, site):
    page = StandardPage.objects.get(slug="aviso-de-privacidad")
    assert "Aviso renovado" not in _cached(client, page.url)
    page.title = "Aviso renovado"
    page.save_revision().publish()
    response = client.get(page.url)
    assert response["X-Cache"] == "miss" and "Aviso renovado" in html(response)


def test_a_draft_of_a_page_does_not_purge(client, site):
    page = StandardPage.objects.get(slug="aviso-de-privacidad")
    _cached(client, page.url)
    page.title = "Borrador sin publicar"
    page.save_revision()
    response = client.get(page.url)
    assert response["X-Cache"] == "hit" and "Borrador sin publicar" not in html(response)


def test_unpublishing_a_page_hides_it_at_once(client, site):
    page = StandardPage.objects.get(slug="contacto")
    _cached(client, page.url)
    page.unpublish()
    assert client.get("/contacto/").status_code == 404


def test_deleting_a_page_hides_it_at_once(client, site):
    _cached(client, "/contacto/")
    StandardPage.objects.get(slug="contacto").delete()
    assert client.get("/contacto/").status_code == 404


def test_moving_a_page_purges_its_old_address(client, site):
    page = StandardPage.objects.get(slug="contacto")
    _cached(client, "/contacto/")
    page.move(StandardPage.objects.get(slug="aviso-de-privacidad"), pos="last-child")
    old = client.get("/contacto/")  # Wagtail leaves a redirect, not the cached page
    assert old.status_code == 301 and old["Location"] == "/aviso-de-privacidad/contacto/"
    assert client.get("/aviso-de-privacidad/contacto/").status_code == 200


def test_restricting_a_page_purges_it(client, site):
    page = StandardPage.objects.get(slug="contacto")
    _cached(client, "/contacto/")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert client.get("/contacto/").status_code == 302


def test_a_new_event_shows_on_home_and_calendar(client, site):
    _cached(client, "/")
    _cached(client, "/calendario/?vista=lista")
    EventFactory(title="Foro de datos abiertos")
    assert "Foro de datos abiertos" in html(client.get("/"))
    assert "Foro de datos abiertos" in html(client.get("/calendario/?vista=lista"))


def test_an_edited_event_shows_on_home_and_calendar(client, site):
    event = EventFactory(title="Foro original")
    assert "Foro original" in _cached(client, "/")
    assert "Foro original" in _cached(client, "/calendario/?vista=lista")
    event.title = "Foro corregido"
    event.save_revision().publish()
    assert "Foro corregido" in html(client.get("/"))
    assert "Foro corregido" in html(client.get("/calendario/?vista=lista"))


def test_unpublishing_an_event_removes_it(client, site):
    event = EventFactory(title="Foro retirado")
    assert "Foro retirado" in _cached(client, "/calendario/?vista=lista")
    event.unpublish()
    assert "Foro retirado" not in html(client.get("/calendario/?vista=lista"))


def test_an_event_draft_does_not_purge(client, site):
    event = EventFactory(title="Foro estable")
    _cached(client, "/")
    event.title = "Foro en borrador"
    event.save_revision()
    assert client.get("/")["X-Cache"] == "hit"


def test_renaming_an_institution_shows_in_the_directory(client, site, infoem):
    _cached(client, "/instituciones/")
    infoem.name = "Instituto Mexiquense Renombrado"
    infoem.save()
    assert "Instituto Mexiquense Renombrado" in html(client.get("/instituciones/"))


def test_a_new_capsule_shows_in_the_capsule_list(client, site, infoem):
    _cached(client, "/capsulas/")
    VideoCapsuleFactory(title="Cápsula recién publicada", institution=infoem)
    assert "Cápsula recién publicada" in html(client.get("/capsulas/"))


def test_publishing_contest_results_shows_the_awarded_work(client, site):
    call = CallFactory(phase="results")
    ResultsPublication.objects.filter(call=call).delete()  # judged, not yet published
    entry = EntryFactory(category=call.categories.first(), title="Spot premiado")
    AwardFactory(entry=entry, place=1)
    assert "Spot premiado" not in _cached(client, "/acervo/")
    publish_results(call)
    response = client.get("/acervo/")
    assert response["X-Cache"] == "miss" and "Spot premiado" in html(response)


def test_an_entrant_editing_a_draft_does_not_purge(client, site):
    call = CallFactory()
    entry = EntryFactory(category=call.categories.first(), status=EntryStatus.DRAFT)
    _cached(client, "/")
    entry.title = "Mi spot, segunda versión"
    entry.save()
    assert client.get("/")["X-Cache"] == "hit"


def test_a_page_read_before_the_commit_is_not_kept(client, site, django_capture_on_commit_callbacks):
    """The purge is repeated when the transaction commits: a page rendered from the old rows
    by another process in between (simulated here after the first bump) is not served."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        EventFactory(title="Foro en transacción")
        EventFactory(title="Otro foro en la misma transacción")
        client.get("/")
        assert client.get("/")["X-Cache"] == "hit"
    # One post-commit purge per transaction (with a shared cache, the open-data rebuild
    # registers its own callbacks too).
    purges = [c for c in callbacks if getattr(c, "__module__", "") == "hub.pagecache"]
    assert len(purges) == 1
    assert client.get("/")["X-Cache"] == "miss"


def test_a_purge_in_another_process_is_seen_here(client, site, settings):
    _cached(client, "/")
    script = (
        "import json, sys, django\n"
        "from django.conf import settings\n"
        "settings.configure(CACHES={'default': {'BACKEND': "
        "'django.core.cache.backends.locmem.LocMemCache'}, 'pagecache': json.loads(sys.argv[1])},"
        " USE_TZ=True)\n"
        "django.setup()\n"
        "from hub import pagecache\n"
        "pagecache.purge()\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([sys.executable, "-c", script, json.dumps(settings.CACHES["pagecache"])],
                   check=True, cwd=ROOT, env=env, timeout=60)
    assert client.get("/")["X-Cache"] == "miss"


def test_every_public_model_is_registered():
    labels = {model._meta.label for model in pagecache.registered_models()}
    assert {"network.Event", "network.Institution", "network.VideoCapsule", "network.Person",
            "network.Agreement", "contests.Award", "contests.ResultsPublication",
            "hub.SiteSettings", "wagtailcore.PageViewRestriction"} <= labels
    assert not labels & {"contests.EntryFile", "campaigns.Delivery", "campaigns.Post",
                         "wagtailimages.Rendition"}


def test_appended_parameters_cannot_fill_the_store(client, site, settings):
    """Past the budget of addresses with a query string, such pages are rendered each time
    (still correct); plain addresses and those already stored keep being served from it."""
    settings.ENLACE_PAGE_CACHE_MAX_VARIANTS = 3
    for n in range(3):
        _cached(client, f"/?x={n}")
    assert client.get("/?x=0")["X-Cache"] == "hit"
    for n in range(3, 8):
        response = client.get(f"/?x={n}")
        assert response.status_code == 200 and response["X-Cache"] == "miss"
        assert client.get(f"/?x={n}")["X-Cache"] == "miss"  # not stored
    assert client.get("/?x=1")["X-Cache"] == "hit"
    _cached(client, "/instituciones/")  # a plain address is stored as always
    page = site.add_child(instance=StandardPage(title="Nota nueva", slug="nota-nueva"))
    page.save_revision().publish()  # a new generation: a new budget
    _cached(client, "/?x=9")
