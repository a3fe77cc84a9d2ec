"""Dates typed in the admin's date fields, in real Chromium: what the person typed is what the
server reads, never a date the picker chose for them."""

import pytest

from network import rules
from publications.models import Reform
from tests.browser.conftest import sign_in_to_admin
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_date_the_picker_cannot_read_is_kept_and_refused_in_spanish(
        browser, page, live_server, reference_data, site):
    """The committee typed a reform's DOF date as «2026-11-20» (or «31/02/2026»): on leaving the
    field Wagtail's picker replaced it with today's date (or 03/03/2026), and *Guardar* stored
    that date without a word."""
    UserFactory(username="editora", groups=[rules.EDITORIAL])
    sign_in_to_admin(page, live_server.url, "editora")
    page.goto(live_server.url + "/admin/snippets/publications/reform/add/")
    for typed in ("2026-11-20", "31/02/2026"):
        page.fill("#id_dof_date", "")
        page.click("#id_dof_date")
        page.keyboard.type(typed)
        page.click("#id_title")
        page.wait_for_timeout(300)
        assert page.input_value("#id_dof_date") == typed
    page.fill("#id_title", "Decreto de prueba")
    page.keyboard.press("Escape")  # as a person leaves a picker that stayed open
    page.click("#id_title")
    # The picker closes a moment after its field loses focus; a person's click on «Guardar»
    # comes later than a script's.
    page.wait_for_function("""() => [...document.querySelectorAll('.xdsoft_datetimepicker')]
        .every(p => getComputedStyle(p).display === 'none')""")
    page.locator("footer button[type=submit]").first.click()
    page.wait_for_load_state()
    field = page.locator("[data-field-wrapper]:has(#id_dof_date), .w-field:has(#id_dof_date)")
    assert "Introduzca una fecha válida" in field.first.inner_text()
    assert page.input_value("#id_dof_date") == "31/02/2026"
    assert not Reform.objects.exists()
