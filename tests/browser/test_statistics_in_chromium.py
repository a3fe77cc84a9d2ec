"""Quarterly statistics in real Chromium: a file with a bad row is refused whole and its error
shown, the corrected file is accepted, and the figures appear on the public page (charted per
region, 360 px wide, without JavaScript, axe-clean) and in the open data."""

import pytest

from hub.models.statistics import QuarterlyReport
from tests.browser.conftest import assert_accessible, sign_in_to_admin
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data"),
              pytest.mark.django_db(transaction=True)]

HEADER = ("siglas,trimestre,solicitudes_recibidas,solicitudes_en_tiempo,recursos_revision,"
          "personas_capacitadas,eventos,alcance_campanas,observaciones\n")


def _file(body: str) -> dict:
    return {"name": "estadisticas.csv", "mimeType": "text/csv", "buffer": body.encode()}


def test_upload_refuses_a_bad_row_then_publishes_the_corrected_file(browser, page, live_server,
                                                                      site):
    UserFactory(username="coordina", groups=["Coordinación"])
    sign_in_to_admin(page, live_server.url, "coordina")

    page.goto(live_server.url + "/admin/estadisticas/cargar/")
    page.set_input_files("#id_file", _file(HEADER + "INFOEM,2025-T1,5400,5100,210,880,12,45000,\n"
                                                    "ITEI,2025-T1,300,450,4,20,1,900,\n"))
    page.click("form button[type=submit].button")
    page.wait_for_url("**/admin/estadisticas/cargar/*/")
    errors = page.locator("#import-errors").inner_text()
    assert "3" in errors and "solicitudes_en_tiempo" in errors and "no pueden ser más" in errors
    assert "No se importó nada" in page.content()
    assert page.locator("text=Confirmar carga").count() == 0
    assert QuarterlyReport.objects.count() == 0

    page.click("text=Subir el archivo corregido")
    page.set_input_files("#id_file", _file(HEADER + "INFOEM,2025-T1,5400,5100,210,880,12,45000,\n"
                                                    "ITEI,2025-T1,3070,2950,4,20,1,900,\n"))
    page.click("form button[type=submit].button")
    page.wait_for_url("**/admin/estadisticas/cargar/*/")
    # The preview's table is wider than the admin's main area at 1280 px: its last column is
    # reached by scrolling the table's own box, not cut off.
    page.set_viewport_size({"width": 1280, "height": 800})
    cut = page.evaluate("""() => {
        const table = document.querySelector('#import-rows');
        let box = table.parentElement;
        while (box && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) {
            box = box.parentElement;
        }
        if (box) box.scrollLeft = box.scrollWidth;
        return table.querySelector('thead th:last-child').getBoundingClientRect().right
            - document.documentElement.clientWidth;
    }""")
    assert cut <= 0, f"the preview's last column is cut off by {cut}px"
    with page.expect_navigation():
        page.click("text=Confirmar carga")
    assert "Informes nuevos: 2" in page.content()
    assert QuarterlyReport.objects.count() == 2

    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                  java_script_enabled=False, locale="es-MX")
    visitor = context.new_page()
    try:
        visitor.goto(live_server.url + "/estadisticas/?trimestre=2025-T1")
        html = visitor.content()
        assert "5400" in html and "3070" in html and "<svg" in html
        assert "Centro-Occidente" in html  # ITEI's region, a bar of the chart
        overflow = visitor.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"/estadisticas/ overflows by {overflow}px"
        visitor.select_option("#f-cifra", "personas_capacitadas")
        visitor.click("form.filters button[type=submit]")
        visitor.wait_for_url("**cifra=personas_capacitadas**")
        assert "Personas capacitadas por región" in visitor.content()
        data = visitor.request.get(live_server.url + "/datos/estadisticas.json").json()
        itei = next(r for r in data["results"] if r["siglas"] == "ITEI")
        assert itei["solicitudes_recibidas"] == 3070 and itei["trimestre"] == "2025-T1"
    finally:
        context.close()
    page.goto(live_server.url + "/estadisticas/")
    assert_accessible(page)
