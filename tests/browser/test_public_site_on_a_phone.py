"""Every public and entrant screen of the demo on a 360 px phone in Chromium: nothing wider than
the screen, and axe finds no serious or critical problem."""

import io
from itertools import pairwise

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data"),
              pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}

PUBLIC = [
    "/", "/instituciones/", "/instituciones/infoem/", "/instituciones/infoem/convenios/",
    "/calendario/", "/calendario/?vista=lista", "/capsulas/", "/datos/", "/estadisticas/",
    "/buscar/?q=transparencia", "/autodiagnostico-gobierno-abierto/", "/hojas-de-ruta/",
    "/agendas/", "/buenas-practicas/", "/informes-trimestrales/", "/concursos/", "/acervo/",
    "/mexico-transparente/", "/cuadernillos/", "/aviso-de-privacidad/", "/contacto/",
    "/cuentas/login/", "/cuentas/signup/", "/no-existe/",
]
ENTRANT = ["/concursos/perfil/", "/concursos/mis-participaciones/"]


@pytest.fixture
def demo(reference_data):
    """The demo of ``manage.py bootstrap --demo`` (its own guard reads the settings module)."""
    from hub.bootstrap import ensure_site
    from hub.management.commands.bootstrap import Command

    ensure_site()
    Command(stdout=io.StringIO())._demo()


def _demo_pages() -> list[str]:
    """One page of each kind the demo publishes: an event, a call, an issue, an article, a
    booklet edition, a practice, an agenda and a roadmap."""
    from wagtail.models import Page

    from contests.models import ContestCallPage
    from network.models import Event, Roadmap
    from publications.models import ArticlePage, EditionPage, IssuePage

    pages = [Event.objects.public().first().get_absolute_url(),
             Roadmap.objects.first().get_absolute_url(), "/agendas/centro/"]
    for model in (ContestCallPage, IssuePage, ArticlePage, EditionPage):
        pages.append(model.objects.live().first().url)
    pages.append(Page.objects.live().filter(slug__startswith="archivo-municipal").first().url)
    return pages


def _assert_fits_and_accessible(page, url):
    response = page.goto(url)
    assert response.status == (404 if url.endswith("/no-existe/") else 200), url
    overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{url} is {overflow}px wider than a 360 px phone"
    assert_accessible(page)


def test_every_public_and_entrant_screen_fits_a_phone_and_passes_axe(browser, live_server, demo):
    context = browser.new_context(viewport=PHONE, locale="es-MX",
                                  timezone_id="America/Mexico_City")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        for path in PUBLIC + _demo_pages():
            _assert_fits_and_accessible(page, live_server.url + path)
        page.goto(live_server.url + "/cuentas/login/")
        page.fill("input[name=login]", "participante@enlace.local")
        page.fill("input[name=password]", "enlace-demo-2026")
        page.click("form[action='/cuentas/login/'] button[type=submit]")
        page.wait_for_url("**/concursos/**")
        for path in ENTRANT:
            _assert_fits_and_accessible(page, live_server.url + path)
            assert "/cuentas/login/" not in page.url  # the entrant's own screens, signed in
    finally:
        context.close()


@pytest.fixture
def events(reference_data, site, infoem, itei):
    """A few published events (the full demo is built once, by the test above)."""
    from tests.factories import EventFactory

    return [EventFactory(title=f"Conversatorio sobre transparencia proactiva {n}",
                         organizers=[infoem if n % 2 else itei]) for n in range(4)]


def test_month_calendar_on_a_phone_lists_days_instead_of_a_cramped_grid(browser, live_server,
                                                                        events):
    from django.utils import timezone

    from network.models import Event

    event = Event.objects.public().order_by("starts_at").first()
    month = timezone.localtime(event.starts_at).strftime("%Y-%m")
    context = browser.new_context(viewport=PHONE, locale="es-MX")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/calendario/?mes={month}")
        assert not page.locator("table.month").is_visible()
        agenda = page.locator(".month-agenda")
        assert agenda.is_visible()
        assert agenda.locator(f"a[href='{event.get_absolute_url()}']").count() == 1
        # Headings go down one level at a time: h1, then the month's h2, then each day's h3.
        levels = page.eval_on_selector_all(
            "main h1:not([hidden]), main h2, main h3",
            "els => els.filter(e => e.offsetParent).map(e => +e.tagName[1])")
        assert levels[0] == 1 and all(b - a <= 1 for a, b in pairwise(levels)), levels
        page.set_viewport_size({"width": 1280, "height": 900})
        assert page.locator("table.month").is_visible()
        assert not agenda.is_visible()
    finally:
        context.close()


def test_calendar_list_headings_go_down_one_level_at_a_time(page, live_server, events):
    page.goto(live_server.url + "/calendario/?vista=lista")
    levels = page.eval_on_selector_all("main h1, main h2, main h3",
                                       "els => els.map(e => +e.tagName[1])")
    assert levels[:3] == [1, 2, 3], levels
    assert_accessible(page)
