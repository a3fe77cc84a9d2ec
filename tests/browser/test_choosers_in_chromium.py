"""The agreement's «responsables» in Chromium: Wagtail's chooser, searched, several chosen at
once, one removed, saved; on a desktop and on a 390 px phone."""

import os

import pytest

from network import rules
from network.models import Agreement
from tests.browser.conftest import sign_in_to_admin
from tests.factories import AgreementFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("ENLACE_SCREENSHOTS")


@pytest.mark.parametrize("width", [1280, 390])
def test_agreement_contacts_are_chosen_in_the_chooser_and_saved(
        browser, live_server, reference_data, site, width):
    from playwright.sync_api import expect

    UserFactory(username="coordina", groups=[rules.COORDINATION])
    for n in range(30):
        PersonFactory(name=f"Contacto de relleno {n:02d}")
    ana, beto = PersonFactory(name="Ana Buscada"), PersonFactory(name="Beto Buscado")
    agreement = AgreementFactory(title="Convenio con chooser")
    context = browser.new_context(locale="es-MX", timezone_id="America/Mexico_City",
                                  viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        sign_in_to_admin(page, live_server.url, "coordina")
        page.goto(f"{live_server.url}/admin/snippets/network/agreement/edit/{agreement.pk}/")
        assert page.locator("select[name=responsible]").count() == 0
        page.get_by_role("button", name="Elegir contactos").click()
        modal = page.locator(".modal-dialog")
        modal.locator("input[name=q]").fill("Buscad")
        expect(modal.locator("text=Contacto de relleno 00")).to_have_count(0)  # searched
        modal.locator("text=Ana Buscada").wait_for()
        for name in ("Ana Buscada", "Beto Buscado"):
            modal.locator("tr", has_text=name).locator("input[type=checkbox]").check()
        modal.locator("[data-multiple-choice-submit]").click()
        chosen = page.locator("[data-chosen-list] li")
        chosen.nth(1).wait_for()
        if SHOTS:
            page.locator("[data-multiple-chooser]").scroll_into_view_if_needed()
            page.screenshot(path=f"{SHOTS}/agreement-chooser-{width}.png", full_page=False)
        page.get_by_role("button", name="Quitar «Beto Buscado").click()
        expect(chosen).to_have_count(1)
        page.locator("button[type=submit]", has_text="Guardar").first.click()
        page.wait_for_url(f"{live_server.url}/admin/snippets/network/agreement/")
        assert list(Agreement.objects.get(pk=agreement.pk).responsible.all()) == [ana]
        assert beto not in Agreement.objects.get(pk=agreement.pk).responsible.all()
    finally:
        context.close()
