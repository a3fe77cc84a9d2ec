"""A newcomer's path in real Chromium: *Participar* on a call → sign up → the confirmation link
from the e-mail → the profile (guardian section only for minors, no education level chosen) →
the call's wizard with its step indicator → a spot dropped on the drop zone uploads at once
and plays in the page. axe finds nothing serious on any of these screens."""

import base64
import re

import pytest
from django.core import mail

from contests.models import Entry
from tests.browser.conftest import assert_accessible
from tests.contests.files_factory import mp3_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DROP = """([selector, name, b64]) => {
  const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
  const data = new DataTransfer();
  data.items.add(new File([bytes], name, {type: "audio/mpeg"}));
  const zone = document.querySelector(selector);
  zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: data, bubbles: true, cancelable: true}));
  zone.dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true, cancelable: true}));
}"""


def test_participar_sign_up_confirm_and_drop_a_spot(page, live_server, reference_data, site):
    from tests.contests.factories import CallFactory

    call = CallFactory(phase="open")
    base = live_server.url
    wizard = f"/concursos/convocatoria/{call.pk}/participar/"

    page.goto(base + call.url)
    page.click("main >> text=Participar")
    page.wait_for_url("**/cuentas/signup/**")
    assert page.locator("h1").inner_text() == "Crear cuenta"
    assert page.locator(".site-header").count() == 1 and page.locator(".site-footer").count() == 1
    login = page.get_by_role("link", name="¿Ya tiene cuenta? Inicie sesión")
    assert "next=" in login.get_attribute("href")
    assert_accessible(page)

    page.fill("#id_email", "nueva@example.org")
    page.fill("#id_password1", "una-clave-larga-2026")
    page.fill("#id_password2", "una-clave-larga-2026")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("h1").inner_text() == "Confirme su correo"
    assert_accessible(page)

    path = re.search(r"https?://[^/\s]+(/cuentas/confirm-email/\S+)", mail.outbox[-1].body)[1]
    page.goto(base + path)
    assert_accessible(page)
    with page.expect_navigation():
        page.click("main form button[type=submit]")

    # Straight back to the call's wizard, which starts with the profile.
    assert page.url.endswith("/concursos/perfil/?next=" + wizard)
    assert page.locator(".steps-now").inner_text() == "Paso 1 de 4: Perfil"
    guardian = page.locator("fieldset[data-guardian]")
    assert guardian.is_hidden()
    assert page.locator("#id_education_level").input_value() == ""
    page.fill("#id_birth_date", "2014-06-01")
    assert guardian.is_visible()  # a minor: the guardian's section appears
    page.fill("#id_birth_date", "2001-06-01")
    assert guardian.is_hidden()
    assert_accessible(page)
    page.fill("#id_full_name", "Nueva Persona")
    page.select_option("#id_state", "OAX")
    page.select_option("#id_education_level", "licenciatura")
    page.check("#id_accept_privacy")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url == base + wizard
    current = page.locator(".steps [aria-current=step]")
    assert current.inner_text() == "Categoría"
    assert_accessible(page)

    page.check(f"input[name=category][value='{call.categories.get(code='SPOT').pk}']")
    page.fill("#id_title", "La transparencia suena")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/concursos/participacion/**")
    assert page.locator(".steps-now").inner_text() == "Paso 3 de 4: Obra"
    assert page.locator(".dropzone-hint").is_visible()
    assert_accessible(page)

    # Dropped, not chosen: the upload starts on its own and the page shows the player.
    audio = mp3_bytes(12.0)
    with page.expect_navigation():
        page.evaluate(DROP, ["[data-dropzone]", "spot.mp3", base64.b64encode(audio).decode()])
    entry = Entry.objects.get()
    stored = entry.files.get()
    assert stored.original_name == "spot.mp3" and stored.size == len(audio)
    player = page.locator("audio[data-preview=audio]")
    assert player.count() == 1
    answer = page.evaluate("src => fetch(src).then(r => [r.status, r.headers.get('content-type')])",
                           player.get_attribute("src"))
    assert answer == [200, "audio/mpeg"]
    assert_accessible(page)
