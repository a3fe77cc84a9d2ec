"""Participation end to end in Chromium: a citizen registers (without JavaScript), gets the
confirmation e-mail, the organising officer takes attendance in the admin, the survey
e-mail arrives after the event, the attendee answers, and the indicators move."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from hub.indicators import Period, Scope, sections
from network import rules
from network.enums import EventKind, ParticipationMechanism
from network.models import Event, Registration, StaffProfile
from network.tasks import send_participation_surveys
from tests.browser.conftest import assert_accessible
from tests.factories import EventFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _link(body: str, part: str) -> str:
    return re.search(rf"http://testserver(/participacion/{part}/[^/\s]+/)", body)[1]


def _trained(event) -> int:
    period = Period.current_quarter(timezone.localtime(event.starts_at).date())
    section = next(s for s in sections(Scope(period)) if s.key == "participacion")
    return {str(f.label): f.value for f in section.figures}["Personas capacitadas"]


def test_register_attend_answer_and_the_indicator_moves(browser, page, live_server,
                                                        reference_data, site, infoem):
    event = EventFactory(title="Capacitación en solicitudes de información",
                         kind=EventKind.TRAINING, mechanism=ParticipationMechanism.TRAINING,
                         organizers=[infoem], registration_enabled=True, capacity=10)

    # 1. A citizen registers from the public page, with JavaScript off (axe needs it on: it
    # checks the same page in the other browser context).
    page.goto(live_server.url + event.get_absolute_url())
    assert_accessible(page)
    context = browser.new_context(java_script_enabled=False, locale="es-MX")
    citizen = context.new_page()
    citizen.set_default_timeout(15_000)
    try:
        citizen.goto(live_server.url + event.get_absolute_url())
        citizen.fill("#id_name", "Ana Pérez López")
        citizen.fill("#id_email", "ana.perez@example.org")
        citizen.check("#id_consent")
        citizen.click("text=Registrarme")
        # The form posts to «registro/#registro» (its errors open at the form); the redirect
        # keeps the fragment, which names the message of the page it lands on.
        citizen.wait_for_url("**/registro/enviado/#registro")
        assert "Revise su correo" in citizen.content()
    finally:
        context.close()
    [confirmation] = mail.outbox
    assert confirmation.to == ["ana.perez@example.org"]
    registration_page = re.search(r"https?://\S+/participacion/mi-registro/\S+/",
                                  confirmation.body)[0].split("/participacion/", 1)[1]
    page.goto(live_server.url + "/participacion/" + registration_page)
    assert "Tiene un lugar confirmado" in page.content()
    assert_accessible(page)
    assert _trained(event) == 0

    # 2. The officer of the organising institution marks attendance on the day.
    officer = UserFactory(username="oficial-infoem", groups=[rules.COMMUNICATIONS])
    StaffProfile.objects.create(user=officer, institution=infoem)
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "oficial-infoem")
    page.fill("#id_password", "clave-de-prueba-123")
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    page.goto(live_server.url + f"/admin/red/eventos/{event.pk}/asistencia/")
    assert "Ana Pérez López" in page.content()
    page.check("input[name=asistio]")
    page.click("text=Guardar asistencia")
    page.wait_for_selector("text=Asistencia guardada")
    assert Registration.objects.get().attended

    # 3. The event ends; the periodic job sends the survey, once.
    start = timezone.now() - dt.timedelta(hours=3)
    Event.objects.filter(pk=event.pk).update(starts_at=start,
                                             ends_at=start + dt.timedelta(hours=2))
    event.refresh_from_db()
    assert send_participation_surveys() == 1
    assert send_participation_surveys() == 0
    survey_mail = mail.outbox[-1]
    assert survey_mail.to == ["ana.perez@example.org"]

    # 4. The attendee answers the survey from the link.
    page.goto(live_server.url + _link(survey_mail.body, "encuesta"))
    assert_accessible(page)
    page.check("input[name=rating][value='5']")
    page.fill("#id_comments", "Muy clara la explicación.")
    page.click("text=Enviar respuesta")
    page.wait_for_selector("text=Recibimos su respuesta")

    # 5. The indicators moved: one person trained, satisfaction 5.
    assert _trained(event) == 1
    data = page.goto(live_server.url + "/datos/participacion.json").json()
    [row] = [r for r in data["results"] if r["institucion"] == "INFOEM"]
    assert (row["personas_capacitadas"], row["respuestas_encuesta"]) == (1, 1)
    assert "ana.perez" not in page.content()


def test_event_page_with_registration_fits_a_phone(browser, live_server, reference_data, site,
                                                   infoem):
    event = EventFactory(organizers=[infoem], registration_enabled=True)
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    phone = context.new_page()
    try:
        phone.goto(live_server.url + event.get_absolute_url())
        overflow = phone.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
    finally:
        context.close()


def test_a_refused_registration_shows_its_errors_on_a_phone(browser, live_server,
                                                            reference_data, site, infoem):
    """The form's errors are answered on the event's page: on a phone they were ~1,200 px
    below the top it opened at, so the citizen saw the event again and no message."""
    event = EventFactory(organizers=[infoem], registration_enabled=True)
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  java_script_enabled=False, locale="es-MX")
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    try:
        phone.goto(live_server.url + event.get_absolute_url())
        phone.fill("#id_name", "Luis Gómez")
        phone.fill("#id_email", "luis@")
        phone.click("text=Registrarme")
        phone.wait_for_load_state()
        error = phone.get_by_text("Introduzca una dirección de correo electrónico válida.")
        box = error.bounding_box()
        assert box is not None and 0 <= box["y"] < 844 - box["height"]
    finally:
        context.close()
    assert not Registration.objects.exists()
