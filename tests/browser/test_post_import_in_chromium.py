"""Bulk scheduling in real Chromium: an officer uploads a file with a bad row, reads the row's
error in Spanish (nothing created), uploads the corrected file, confirms, and the posts exist."""

from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.models import Post
from campaigns.sendtime import MEXICO_CITY
from network.models import Institution, StaffProfile
from network.rules import COMMUNICATIONS
from tests.browser.conftest import assert_accessible, sign_in_to_admin
from tests.campaigns.factories import make_channel
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data"),
              pytest.mark.django_db(transaction=True)]

HEADER = "texto,enlace,canales,fecha,hora,imagen\n"


def _file(body: str) -> dict:
    return {"name": "publicaciones.csv", "mimeType": "text/csv", "buffer": body.encode()}


def test_an_officer_previews_fixes_and_confirms_a_file_of_posts(browser, page, live_server, site):
    infoem = Institution.objects.get(acronym="INFOEM")
    officer = UserFactory(username="oficial", groups=[COMMUNICATIONS])
    StaffProfile.objects.create(user=officer, institution=infoem)
    make_channel("telegram", infoem, name="Telegram INFOEM")
    day = (timezone.now().astimezone(MEXICO_CITY) + timedelta(days=4)).strftime("%d/%m/%Y")
    sign_in_to_admin(page, live_server.url, "oficial")

    page.goto(live_server.url + "/admin/campanas/importar/")
    page.set_input_files("#id_file", _file(
        HEADER + f"Conozca sus derechos,,Telegram INFOEM,{day},10:00,\n"
                 f"Otra publicación,,Canal fantasma,{day},11:00,\n"))
    page.click("form button[type=submit].button")
    page.wait_for_url("**/admin/campanas/importar/*/")
    errors = page.locator("#import-errors").inner_text()
    assert "No existe el canal «Canal fantasma»." in errors and "canales" in errors
    assert "No se importó nada" in page.content()
    assert page.locator("text=Confirmar y programar").count() == 0
    assert_accessible(page)
    assert not Post.objects.exists()

    page.click("text=Subir el archivo corregido")
    page.set_input_files("#id_file", _file(
        HEADER + f"Conozca sus derechos,,Telegram INFOEM,{day},10:00,\n"
                 f"Otra publicación,,Telegram INFOEM,{day},11:00,\n"))
    page.click("form button[type=submit].button")
    page.wait_for_url("**/admin/campanas/importar/*/")
    assert "Se crearán 2 publicaciones." in page.locator("#import-summary").inner_text()
    page.click("text=Confirmar y programar")
    page.get_by_text("Se crearon 2 publicaciones.").wait_for()
    assert Post.objects.filter(live=True, author=officer).count() == 2
