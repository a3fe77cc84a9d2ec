"""The site's shell kept by each process (hub/sitecache.py): pages stop reading the Site, the
site settings and the view restrictions from the database on every request, and every change
to them shows on the next request, in any process (the page cache's generation)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site

from hub import pagecache, sitecache
from hub.models import HomePage, PracticeLibraryPage, SiteSettings, StandardPage

pytestmark = pytest.mark.django_db

SHELL_TABLES = ("wagtailcore_site", "hub_sitesettings", "wagtailcore_pageviewrestriction")


def get(client, url="/"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code in (200, 302), response.status_code
    return response, [q["sql"] for q in queries.captured_queries]


def reads(sqls, table) -> int:
    return sum(f'FROM "{table}"' in sql for sql in sqls)


def test_the_second_visit_reads_no_site_settings_nor_restrictions(client, site):
    _first, cold = get(client, "/contacto/")
    assert all(reads(cold, table) for table in SHELL_TABLES)
    second, warm = get(client, "/contacto/")
    assert second.status_code == 200
    assert [table for table in SHELL_TABLES if reads(warm, table)] == []
    assert len(warm) < len(cold)


def test_edited_footer_settings_show_on_the_next_request(client, site):
    get(client)
    get(client)
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.contact_email = "nuevo-correo@snt.org.mx"
    settings.save()
    assert "nuevo-correo@snt.org.mx" in client.get("/").content.decode()


def test_a_new_view_restriction_applies_on_the_next_request_and_to_the_pages_below(client, site):
    contact = StandardPage.objects.get(slug="contacto")
    below = contact.add_child(instance=StandardPage(title="Horarios", slug="horarios"))
    below.save_revision().publish()
    assert get(client, "/contacto/horarios/")[0].status_code == 200
    restriction = PageViewRestriction.objects.create(
        page=contact, restriction_type=PageViewRestriction.PASSWORD, password="clave-secreta")
    for url in ("/contacto/", "/contacto/horarios/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "Horarios" not in response.content.decode()
        assert 'name="password"' in response.content.decode()
    restriction.delete()
    assert "Horarios" in client.get("/contacto/horarios/").content.decode()


def test_an_alias_keeps_the_restriction_of_its_source(client, site):
    contact = StandardPage.objects.get(slug="contacto")
    PageViewRestriction.objects.create(page=contact, restriction_type=PageViewRestriction.LOGIN)
    alias = contact.create_alias(parent=Page.objects.get(slug="aviso-de-privacidad"),
                                 update_slug="contacto-alias")
    get(client, "/")
    assert client.get("/contacto/").status_code == 302  # to the sign-in page
    assert client.get(alias.url).status_code == 302


def test_a_published_home_page_shows_on_the_next_request(client, site):
    get(client)
    get(client)
    home = HomePage.objects.get()
    home.hero_title = "Una red que informa"
    home.save_revision().publish()
    assert "Una red que informa" in client.get("/").content.decode()


def test_a_new_practice_library_appears_in_every_footer_at_once(client, site):
    assert "Buenas prácticas" not in client.get("/").content.decode()
    library = site.add_child(instance=PracticeLibraryPage(title="Buenas prácticas",
                                                          slug="buenas-practicas"))
    library.save_revision().publish()
    assert 'href="/buenas-practicas/"' in client.get("/contacto/").content.decode()


def test_a_change_in_another_process_is_seen_through_the_generation(site):
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    with sitecache.scope():
        before = Site.find_for_request(request)
    Site.objects.filter(pk=before.pk).update(site_name="Otro nombre")  # no signal: another
    pagecache._bump()                                                  # process's purge
    with sitecache.scope():
        after = Site.find_for_request(RequestFactory().get("/", HTTP_HOST="localhost"))
    assert after.site_name == "Otro nombre"


def test_each_request_gets_its_own_copies(site):
    factory = RequestFactory()
    with sitecache.scope():
        first = factory.get("/", HTTP_HOST="localhost")
        site_one = Site.find_for_request(first)
        site_one.site_name = "cambiado por una petición"
        site_one.root_page.title = "cambiado también"
        settings_one = SiteSettings.for_request(first)
        settings_one.contact_email = "otro@example.org"
        second = factory.get("/", HTTP_HOST="localhost")
        site_two = Site.find_for_request(second)
        assert site_two.site_name != "cambiado por una petición"
        assert site_two.root_page.title != "cambiado también"
        assert SiteSettings.for_request(second).contact_email != "otro@example.org"
        assert SiteSettings.for_request(second)._request is second
        # Page links a request worked out (settings.page_url.…) stay with that request.
        settings_one.get_page_url("contact_page")
        assert SiteSettings.for_request(second)._page_url_cache == {}


def test_a_change_no_purge_announced_shows_once_the_pages_would_expire(site, monkeypatch):
    """A purge that could not be written (the store was down for a moment), or a write that
    bypassed the signals, leaves the shell late by no more than the cached pages."""
    clock = [1000.0]
    monkeypatch.setattr(sitecache, "_now", lambda: clock[0])
    with sitecache.scope("g1"):
        before = Site.find_for_request(RequestFactory().get("/", HTTP_HOST="localhost"))
    Site.objects.filter(pk=before.pk).update(site_name="Otro nombre")  # no purge at all
    with sitecache.scope("g1"):
        assert Site.find_for_request(
            RequestFactory().get("/", HTTP_HOST="localhost")).site_name != "Otro nombre"
    clock[0] += (pagecache.lifetime() or sitecache.MAX_AGE) + 1
    with sitecache.scope("g1"):
        assert Site.find_for_request(
            RequestFactory().get("/", HTTP_HOST="localhost")).site_name == "Otro nombre"


def test_outside_a_scope_everything_is_read_again(site):
    calls = []
    for _ in range(2):
        sitecache.remember(("prueba",), lambda: calls.append(1))
    assert len(calls) == 2
    with sitecache.scope():
        for _ in range(2):
            sitecache.remember(("prueba",), lambda: calls.append(1))
    assert len(calls) == 3


@pytest.mark.parametrize(("method", "kept"), [("get", "True"), ("head", "True"),
                                              ("post", "False"), ("delete", "False")])
def test_only_safe_requests_use_what_the_process_kept(method, kept):
    """A form posted right after a change must see it: writes read the database."""
    from django.http import HttpResponse

    from hub.middleware import SiteShellMiddleware

    middleware = SiteShellMiddleware(lambda request: HttpResponse(str(sitecache.active())))
    response = middleware(getattr(RequestFactory(), method)("/"))
    assert response.content.decode() == kept


def test_an_unreachable_store_means_reading_the_database(site, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("store down")

    monkeypatch.setattr(pagecache, "current_generation", down)
    calls = []
    with sitecache.scope():
        for _ in range(2):
            sitecache.remember(("prueba",), lambda: calls.append(1))
    assert len(calls) == 2


def test_the_kept_values_are_bounded(monkeypatch):
    monkeypatch.setattr(sitecache, "MAX_ENTRIES", 5)
    with sitecache.scope("g1"):
        for n in range(20):
            sitecache.remember(("host", n), lambda n=n: n)
    assert len(sitecache._kept) <= 5


def test_what_is_used_stays_kept_when_many_other_values_come_and_go(monkeypatch):
    # A crawl of many one-off addresses (filters, hosts) must not evict the shell every page
    # uses: the least recently used values go first.
    monkeypatch.setattr(sitecache, "MAX_ENTRIES", 16)
    builds = []

    def shell():
        builds.append("shell")
        return "shell"

    with sitecache.scope("g1"):
        for n in range(200):
            assert sitecache.remember(("shell",), shell) == "shell"
            sitecache.remember(("one-off", n), lambda n=n: n)
        assert len(sitecache._kept) <= 16
        assert builds == ["shell"]
        assert sitecache.remember(("one-off", 199), lambda: "again") == 199
        assert sitecache.remember(("one-off", 0), lambda: "again") == "again"


# --- Routing: each level is read once, as its own type -------------------------------------

def page_reads(sqls) -> int:
    """Queries reading whole page rows (routing; the page's own template reads none here)."""
    return sum(sql.startswith('SELECT "wagtailcore_page"."id"') for sql in sqls)


def test_each_level_of_a_page_path_is_one_query_once_the_process_knows_its_type(client, site):
    contact = StandardPage.objects.get(slug="contacto")
    contact.add_child(instance=StandardPage(title="Horarios", slug="horarios")).save_revision().publish()
    _first, cold = get(client, "/contacto/horarios/")
    second, warm = get(client, "/contacto/horarios/")
    assert "Horarios" in second.content.decode()
    # Wagtail reads a child as a plain page and then as its own type: two queries per level.
    assert page_reads(warm) == 2
    assert page_reads(cold) == 4


def test_a_page_renamed_behind_the_signals_back_still_routes_by_its_row(client, site):
    get(client, "/contacto/")
    get(client, "/contacto/")
    contact = StandardPage.objects.get(slug="contacto")
    # A write that announces nothing: the kept types still name the old slug.
    Page.objects.filter(pk=contact.pk).update(
        slug="contactanos", url_path=contact.url_path.replace("/contacto/", "/contactanos/"))
    assert client.get("/contacto/").status_code == 404
    response = client.get("/contactanos/")
    assert response.status_code == 200
    assert contact.title in response.content.decode()


def test_another_type_under_a_kept_slug_is_served_as_its_own_type(client, site):
    library = PracticeLibraryPage(title="Prácticas de contacto", slug="contacto-tmp")
    HomePage.objects.get().add_child(instance=library)
    library.save_revision().publish()
    get(client, "/contacto/")
    get(client, "/contacto/")
    # Both slugs swapped behind the signals' back: the process still believes a StandardPage.
    Page.objects.filter(slug="contacto").update(slug="contacto-antes")
    Page.objects.filter(pk=library.pk).update(slug="contacto")
    response = client.get("/contacto/")
    assert response.status_code == 200
    assert "Prácticas de contacto" in response.content.decode()


def test_drafts_and_unpublished_pages_are_not_found_and_unknown_slugs_keep_nothing(client, site):
    home = HomePage.objects.get()
    draft = home.add_child(instance=StandardPage(title="Borrador", slug="borrador", live=False))
    get(client, "/contacto/")
    kept = len(sitecache._kept)
    assert client.get("/borrador/").status_code == 404
    for n in range(20):
        assert client.get(f"/no-existe-{n}/").status_code == 404
    assert len(sitecache._kept) == kept
    draft.save_revision().publish()
    assert client.get("/borrador/").status_code == 200
    Page.objects.get(pk=draft.pk).specific.unpublish()
    assert client.get("/borrador/").status_code == 404


def test_paths_below_a_page_without_children_keep_nothing(client, site):
    home = HomePage.objects.get()
    for n in range(20):
        home.add_child(instance=StandardPage(title=f"Hoja {n}", slug=f"hoja-{n}"))
    get(client, "/contacto/")
    kept = len(sitecache._kept)
    # Every page without children, asked for a path below it: a crawler can name them all.
    for url in ["/contacto/no-existe/", "/aviso-de-privacidad/no-existe/",
                *(f"/hoja-{n}/no-existe/" for n in range(20))]:
        assert client.get(url).status_code == 404
    assert len(sitecache._kept) == kept


def test_a_row_of_another_type_than_the_kept_one_is_served_as_its_own_type(client, site):
    home = HomePage.objects.get()
    plain = home.add_child(instance=Page(title="Página sin tipo", slug="antes"))
    get(client, "/contacto/")  # the home's children's types are kept: "antes" is a plain Page
    # Behind the signals' back, a StandardPage takes the slug the process knows as a plain Page.
    Page.objects.filter(pk=plain.pk).update(slug="despues")
    Page.objects.filter(slug="contacto").update(slug="antes")
    response = client.get("/antes/")
    assert response.status_code == 200
    # Its own template and body, not Wagtail's plain page template.
    assert "Para temas de la red" in response.content.decode()


# --- The footer, rendered once per site, language and generation --------------------------

def footer(response) -> str:
    html = response.content.decode()
    return html[html.index('<footer class="site-footer">'):]


def test_the_footer_is_kept_per_language_and_its_language_links_follow_the_page(client, site):
    from django.conf import settings as django_settings

    spanish = footer(client.get("/contacto/"))
    assert "Gobierno abierto" in spanish and "Legal y datos" in spanish
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    english = footer(client.get("/aviso-de-privacidad/"))
    assert "Open government" in english and "Gobierno abierto" not in english
    # The language links point back to the page being read, never to the one kept first.
    assert "next=%2Faviso-de-privacidad%2F" in english
    del client.cookies[django_settings.LANGUAGE_COOKIE_NAME]
    assert footer(client.get("/contacto/")) == spanish
    assert "next=%2Faviso-de-privacidad%2F" in footer(client.get("/aviso-de-privacidad/"))


def test_each_site_keeps_its_own_footer(client, site, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "otro.example.org"]
    home = HomePage.objects.get()
    other = Site.objects.create(hostname="otro.example.org", port=80, root_page=home,
                                site_name="Otro")
    SiteSettings.objects.update_or_create(site=other, defaults={
        "contact_email": "prensa@otro.example.org"})
    default = Site.objects.get(is_default_site=True)
    SiteSettings.objects.update_or_create(site=default, defaults={
        "contact_email": "contacto@snt.org.mx"})
    for _ in range(2):
        assert "contacto@snt.org.mx" in footer(client.get("/contacto/"))
        response = client.get("/contacto/", HTTP_HOST="otro.example.org")
        assert response.status_code == 200
        other_footer = footer(response)
        assert "prensa@otro.example.org" in other_footer
        assert "contacto@snt.org.mx" not in other_footer
