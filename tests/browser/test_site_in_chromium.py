"""The public site and the admin login in real headless Chromium, with axe checks."""

import pytest

from network.enums import EventKind
from tests.browser.conftest import assert_accessible
from tests.factories import EventFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data"),
              pytest.mark.django_db(transaction=True)]


@pytest.fixture
def content(reference_data, site, infoem, itei):
    EventFactory(title="Foro de gobierno abierto", kind=EventKind.FORUM, organizers=[infoem])
    EventFactory(title="Capacitación en archivos", kind=EventKind.TRAINING, organizers=[itei])


def test_public_pages_read_in_spanish_and_pass_axe(page, live_server, content):
    checks = [
        ("/", "Transparencia que nos une"),
        ("/instituciones/", "Directorio de instituciones"),
        ("/instituciones/infoem/", "Instituto de Transparencia, Acceso a la Información Pública"),
        ("/calendario/", "Calendario de la red"),
        ("/calendario/?vista=lista", "Foro de gobierno abierto"),
        ("/datos/", "Datos abiertos"),
        ("/aviso-de-privacidad/", "Derechos ARCO"),
    ]
    for path, text in checks:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert page.locator("html").get_attribute("lang") == "es-MX"
        assert text in page.content(), path
        assert_accessible(page)


def test_admin_login_passes_axe_and_signs_in(page, live_server):
    UserFactory(username="coordina", groups=["Coordinación"])
    page.goto(live_server.url + "/admin/login/")
    assert_accessible(page)
    page.fill("#id_username", "coordina")
    page.fill("#id_password", "clave-de-prueba-123")
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    assert "Red SNT" in page.content()


def test_calendar_filter_form_filters_by_type(page, live_server, content):
    page.goto(live_server.url + "/calendario/?vista=lista")
    page.select_option("#f-tipo", "capacitacion")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**tipo=capacitacion**")
    body = page.content()
    assert "Capacitación en archivos" in body and "Foro de gobierno abierto" not in body


def test_home_fits_a_phone_without_horizontal_scroll(browser, live_server, content):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        for path in ("/", "/calendario/", "/instituciones/"):
            page.goto(live_server.url + path)
            overflow = page.evaluate(
                "document.scrollingElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} overflows by {overflow}px"
    finally:
        context.close()


def test_site_reads_without_javascript(browser, live_server, content):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/calendario/?vista=lista")
        page.select_option("#f-tipo", "foro")
        page.click("form.filters button[type=submit]")
        page.wait_for_url("**tipo=foro**")
        assert "Foro de gobierno abierto" in page.content()
    finally:
        context.close()


def _csp_violations(page):
    found = []
    page.on("console", lambda msg: found.append(msg.text)
            if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text
            else None)
    return found


def test_admin_and_public_pages_work_under_the_content_security_policy(page, live_server,
                                                                        content):
    from network.models import Event

    violations = _csp_violations(page)
    UserFactory(username="coordina", groups=["Coordinación"])
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "coordina")
    page.fill("#id_password", "clave-de-prueba-123")
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    event = Event.objects.get(title="Foro de gobierno abierto")
    for path in ("/admin/", "/admin/snippets/network/event/",
                 f"/admin/snippets/network/event/edit/{event.pk}/",
                 "/admin/snippets/network/event/add/", "/admin/pages/",
                 "/instituciones/", "/calendario/", "/capsulas/"):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert response.headers.get("content-security-policy"), path
        page.wait_for_load_state("networkidle")
    # The rich-text editor and the date picker of the event form came up (scripts ran).
    page.goto(live_server.url + f"/admin/snippets/network/event/edit/{event.pk}/")
    page.wait_for_selector(".Draftail-Editor", timeout=15000)
    assert violations == [], "\n".join(violations)
