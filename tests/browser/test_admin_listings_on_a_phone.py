"""An officer's post listing on a 390 px phone: every column reachable, every button legible."""

import pytest

from network import rules
from network.models import Institution, StaffProfile
from tests.browser.conftest import sign_in_to_admin
from tests.campaigns.factories import make_channel, publish_post
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_post_listing_scrolls_sideways_and_its_buttons_hold_their_words(
        browser, live_server, reference_data, site):
    """The listing ran past the screen's edge under the admin's clipped main area (the
    «Envíos» column could not be reached), and «Informe de envíos» and «Añadir a la cola»
    spilled out of their fixed-height buttons, one line over the other."""
    infoem = Institution.objects.get(acronym="INFOEM")
    officer = UserFactory(username="oficial", groups=[rules.COMMUNICATIONS])
    StaffProfile.objects.create(user=officer, institution=infoem)
    publish_post(officer, [make_channel("telegram", infoem)], title="Aviso de prueba")
    context = browser.new_context(locale="es-MX", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        sign_in_to_admin(page, live_server.url, "oficial")
        page.goto(live_server.url + "/admin/snippets/campaigns/post/")
        results = page.locator("#listing-results")
        overflow = results.evaluate("e => [getComputedStyle(e).overflowX, e.scrollWidth, e.clientWidth]")
        if overflow[1] > overflow[2]:  # wider than the screen: it must scroll, not be cut
            assert overflow[0] in ("auto", "scroll"), overflow
        for name in ("Informe de envíos", "Añadir a la cola"):
            button = page.locator("table.listing .button", has_text=name).first
            spill = button.evaluate("e => [e.scrollHeight, e.clientHeight]")
            assert spill[0] <= spill[1] + 1, (name, spill)
    finally:
        context.close()


CUT_OFF = """() => [...document.querySelectorAll('main table')].filter(t => {
    const box = t.getBoundingClientRect();
    if (!box.width || box.right <= window.innerWidth + 1) return false;
    for (let a = t; a && a.tagName !== 'MAIN'; a = a.parentElement) {
        const ox = getComputedStyle(a).overflowX;
        if ((ox === 'auto' || ox === 'scroll') && a.getBoundingClientRect().right <= window.innerWidth + 1
            && a.scrollWidth > a.clientWidth) return false;
    }
    return true;
}).map(t => t.className + ' ' + Math.round(t.getBoundingClientRect().right))"""


def test_tables_of_the_admins_own_screens_scroll_sideways_on_a_phone(
        browser, live_server, reference_data, site):
    """On a 390 px phone the statistics upload's preview (twelve columns) lost everything after
    «solicitudes_recibidas» under the admin's clipped main area: the rows to confirm could not
    be read. The same held for the published files and the reading statistics."""
    from hub.statistics.domain import preview_upload
    from tests.hub.test_statistics import HEADER, upload

    coordinator = UserFactory(username="coordina", groups=[rules.COORDINATION])
    batch = preview_upload(uploaded=upload(HEADER + "INFOEM,2025-T1,100,90,4,30,2,500,nota\n"),
                           actor=coordinator)
    context = browser.new_context(locale="es-MX", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        sign_in_to_admin(page, live_server.url, "coordina")
        for path in (f"/admin/estadisticas/cargar/{batch.pk}/", "/admin/publicaciones/estadisticas/"):
            page.goto(live_server.url + path)
            assert page.locator("main table").count(), path
            assert page.evaluate(CUT_OFF) == [], path
    finally:
        context.close()


def test_a_select_with_long_options_fits_the_phone_in_an_edit_form(
        browser, live_server, reference_data, site):
    """On a 390 px phone the select fields of edit forms were as wide as their longest option
    (Wagtail sets them inline-block) under the clipped main area: an article's or edition's
    licence ran to 846 px, an action line's objective to 1,332 px, a practice's topic to
    449 px, their arrow and most of the chosen text cut off."""
    from wagtail.models import Page

    from hub.models import PracticeLibraryPage

    library = PracticeLibraryPage(title="Buenas prácticas", slug="buenas-practicas")
    Page.objects.get(depth=2).add_child(instance=library)
    UserFactory(username="coordina", groups=[rules.COORDINATION])
    context = browser.new_context(locale="es-MX", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        sign_in_to_admin(page, live_server.url, "coordina")
        page.goto(live_server.url
                  + f"/admin/pages/add/hub/goodpracticepage/{library.pk}/")
        widths = page.evaluate("""() => [...document.querySelectorAll('main select')]
            .filter(s => s.getBoundingClientRect().width)
            .map(s => [s.name, Math.round(s.getBoundingClientRect().right)])""")
        assert widths and all(right <= 390 for _name, right in widths), widths
    finally:
        context.close()


def test_titles_in_the_page_explorer_keep_their_words_on_a_phone(
        browser, live_server, reference_data, site):
    """On a 390 px phone the explorer squeezed the title column to 64 px beside «Updated»,
    «Type» and «Status»: an issue's articles read «Gobiern / o en los / municipi / os»."""
    from wagtail.models import Page

    from hub.models import StandardPage

    home = Page.objects.get(depth=2)
    home.add_child(instance=StandardPage(
        title="Gobierno abierto en los municipios del Estado de México", slug="gobierno"))
    UserFactory(username="coordina", groups=[rules.COORDINATION])
    context = browser.new_context(locale="es-MX", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        sign_in_to_admin(page, live_server.url, "coordina")
        page.goto(live_server.url + f"/admin/pages/{home.pk}/")
        cell = page.locator("#listing-results td.title", has_text="Gobierno abierto").first
        width = cell.evaluate("e => e.getBoundingClientRect().width")
        assert width >= 160, width
        results = page.locator("#listing-results")
        assert results.evaluate("e => getComputedStyle(e).overflowX") == "auto"
    finally:
        context.close()
