"""The municipal self-assessment in real Chromium: answered from start to finish with and
without JavaScript, nothing stored, axe clean, 360 px wide, printable."""

import pytest

from tests.browser.conftest import assert_accessible
from tests.hub.test_self_assessment import row_counts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URL = "/autodiagnostico-gobierno-abierto/"


def _answer_everything(page):
    """The first option (nothing in place yet) on the first question of each component, the
    last (advanced) everywhere else."""
    for fieldset in page.locator("section.assessment-component").all():
        groups = fieldset.locator("fieldset").all()
        for number, group in enumerate(groups):
            radios = group.locator("input[type=radio]")
            (radios.first if number == 0 else radios.last).check()


def test_a_municipality_answers_everything_and_nothing_is_stored(page, live_server,
                                                                 reference_data, site):
    page.goto(live_server.url + "/")
    page.click(f"footer a[href='{URL}']")
    page.wait_for_url(live_server.url + URL)
    assert page.locator("html").get_attribute("lang") == "es-MX"
    assert_accessible(page)
    before = row_counts()
    _answer_everything(page)
    page.click("form.assessment-form button[type=submit]")
    page.wait_for_selector("h1:has-text('Resultado del Autodiagnóstico')")
    assert page.locator("text=Aún sin nivel básico").count() >= 5
    assert page.locator("text=Recomendaciones para alcanzar el nivel básico").count() == 5
    assert_accessible(page)
    assert row_counts() == before
    cookies = {c["name"] for c in page.context.cookies()}
    assert "sessionid" not in cookies
    # Printed (or saved as PDF by the browser): the page's chrome and buttons stay out.
    page.emulate_media(media="print")
    assert page.locator("form.no-print").is_hidden()
    assert page.locator("footer.site-footer").is_hidden()
    assert page.locator("#resumen").is_visible()


def test_without_javascript_a_missing_answer_keeps_the_form(browser, live_server,
                                                           reference_data, site):
    context = browser.new_context(java_script_enabled=False, locale="es-MX")
    page = context.new_page()
    try:
        page.goto(live_server.url + URL)
        _answer_everything(page)
        page.locator("section.assessment-component fieldset").last.locator(
            "input[type=radio]").last.evaluate("e => e.checked = false")
        page.click("form.assessment-form button[type=submit]")
        # The answer is a new document: wait for it rather than read a page still loading.
        page.wait_for_selector("text=Falta 1 respuesta o no es válida")
        checked = page.locator("input[type=radio]:checked").count()
        assert checked == page.locator("section.assessment-component fieldset").count() - 1
        page.locator("section.assessment-component fieldset").last.locator(
            "input[type=radio]").first.check()
        page.click("form.assessment-form button[type=submit]")
        page.wait_for_selector("h1:has-text('Resultado del Autodiagnóstico')")
    finally:
        context.close()


def test_the_tool_fits_a_360_px_phone(browser, live_server, reference_data, site):
    context = browser.new_context(viewport={"width": 360, "height": 780}, is_mobile=True,
                                  locale="es-MX")
    page = context.new_page()
    try:
        page.goto(live_server.url + URL)
        overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the form overflows by {overflow}px"
        _answer_everything(page)
        page.click("form.assessment-form button[type=submit]")
        page.wait_for_selector("#resumen")
        overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the result overflows by {overflow}px"
    finally:
        context.close()
