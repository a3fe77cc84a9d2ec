"""Coordinación, in headless Chromium: the dashboard, the quarter's report generated, a
paragraph edited, approved through the workflow, published and downloaded as PDF."""

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from wagtail import hooks

from hub.indicators import INDICATORS_HOOK, Figure, Period, Section, Series
from hub.models import QuarterlyReportPage
from network import rules
from tests.browser.conftest import assert_accessible
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "clave-de-prueba-123"
EDITED = "Este trimestre la Red llegó a más personas que nunca."


def _provider(scope):
    return Section("reach", "Alcance en redes", order=0,
                   figures=[Figure("Publicaciones difundidas", 12)],
                   series=[Series("Envíos por red social", [("Telegram", 7), ("X", 5)])],
                   summary="La Red difundió doce publicaciones.")


def test_coordination_generates_edits_publishes_and_downloads_the_report(
        page, live_server, reference_data, site):
    base = live_server.url
    UserFactory(username="coordinadora", groups=[rules.COORDINATION])
    period = Period.current_quarter()
    with hooks.register_temporarily(INDICATORS_HOOK, _provider):
        page.goto(base + "/admin/login/")
        page.fill("#id_username", "coordinadora")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(base + "/admin/")
        assert "Tablero:" in page.content()

        page.goto(base + f"/admin/tablero/?year={period.year}&quarter={period.number}")
        assert page.get_by_role("heading", name="Alcance en redes").count() == 1
        assert page.locator("svg").count() >= 1
        with page.expect_navigation():
            page.get_by_role("button", name="Generar el informe trimestral en lenguaje "
                                            "ciudadano").click()
        report = QuarterlyReportPage.objects.get()
        assert f"/admin/pages/{report.pk}/edit/" in page.url

        # Edit the plain-language paragraph made from the section's summary.
        changed = page.evaluate("""(text) => {
            const area = [...document.querySelectorAll('textarea')]
                .find(t => t.value.includes('doce publicaciones'));
            if (!area) return false;
            area.focus(); area.value = text;
            area.dispatchEvent(new Event('input', {bubbles: true}));
            area.dispatchEvent(new Event('change', {bubbles: true}));
            return true;
        }""", EDITED)
        assert changed, page.content()[-3000:]
        with page.expect_navigation():
            page.evaluate("document.querySelector(\"button[name='action-submit']\").click()")
        report = QuarterlyReportPage.objects.get()
        assert report.current_workflow_task is not None
        assert report.current_workflow_task.name == "Aprobación de Coordinación"

        page.goto(base + f"/admin/pages/{report.pk}/edit/")
        with page.expect_navigation():
            page.evaluate("document.querySelector(\"button[data-workflow-action-name='approve']"
                          ":not([data-workflow-action-modal-url])\").click()")
        report = QuarterlyReportPage.objects.get()
        assert report.live

        page.goto(base + report.url)
        assert EDITED in page.content()
        assert_accessible(page)
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Descargar el informe en PDF").click()
        data = Path(download_info.value.path()).read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert EDITED in text
    assert "Envíos por red social" in text


def test_on_a_phone_the_dashboards_buttons_stay_on_the_screen(browser, live_server, reference_data, site):
    """At 390 px «Generar el informe trimestral en lenguaje ciudadano» ran past the screen's
    edge, cut at «ciudadar»: a button's text did not wrap."""
    UserFactory(username="coordinadora", groups=[rules.COORDINATION])
    context = browser.new_context(locale="es-MX", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/admin/login/")
        page.fill("#id_username", "coordinadora")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(live_server.url + "/admin/")
        page.goto(live_server.url + "/admin/tablero/")
        button = page.get_by_role("button", name="Generar el informe trimestral en lenguaje ciudadano")
        box = button.bounding_box()
        assert box["x"] + box["width"] <= 390, box
        assert "ciudadano" in button.inner_text()
    finally:
        context.close()
