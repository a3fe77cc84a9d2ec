"""Registration to events (waiting list, cancellation by signed link), attendance in the
admin, the satisfaction survey, and the privacy of registrants' data."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import TestCase
from django.utils import timezone

from network import rules
from network.domain import participation
from network.enums import ParticipationMechanism, RegistrationStatus
from network.models import Registration, StaffProfile, SurveyResponse
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


def committing():
    """Mails leave after commit: run those callbacks as the real commit would."""
    return TestCase.captureOnCommitCallbacks(execute=True)


@pytest.fixture
def event(infoem):
    return EventFactory(title="Mesa de diálogo sobre archivos", organizers=[infoem],
                        mechanism=ParticipationMechanism.DIALOGUE, registration_enabled=True,
                        capacity=2)


def _post(client, event, **data):
    payload = {"name": "Ana Pérez", "email": "ana@example.org", "organization": "",
               "consent": "on", **data}
    with committing():
        return client.post(f"/calendario/{event.slug}/registro/", payload)


def _link(body: str, part: str) -> str:
    return re.search(rf"http://testserver(/participacion/{part}/[^/\s]+/)", body)[1]


# --- Registration ---------------------------------------------------------------------------

def test_registering_confirms_a_place_and_mails_the_cancellation_link(client, site, event):
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Registrarme" in page and "Quedan 2 lugares" in page
    response = _post(client, event, email="Ana@Example.org ")
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.email == "ana@example.org" and registration.consent_at
    [message] = mail.outbox
    assert message.to == ["ana@example.org"]
    assert "confirmado" in message.subject.lower()
    link = _link(message.body, "mi-registro")
    assert "Tiene un lugar confirmado" in client.get(link).content.decode()
    landing = client.get(response["Location"]).content.decode()
    assert "Revise su correo" in landing and "mi-registro" not in landing


def test_a_full_event_puts_people_on_the_waiting_list_and_a_cancellation_promotes_in_order(
        client, site, event):
    for n in range(4):
        assert _post(client, event, email=f"p{n}@example.org", name=f"Persona {n}"
                     ).status_code == 302
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert [statuses[f"p{n}@example.org"] for n in range(4)] == [
        RegistrationStatus.CONFIRMED, RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITLISTED, RegistrationStatus.WAITLISTED]
    third = Registration.objects.get(email="p2@example.org")
    assert participation.waiting_position(third) == 1
    assert "lista de espera" in mail.outbox[2].subject.lower()
    mail.outbox.clear()

    first = Registration.objects.get(email="p0@example.org")
    link = f"/participacion/mi-registro/{participation.registration_token(first)}/"
    assert client.get(link).status_code == 200
    assert Registration.objects.get(pk=first.pk).status == RegistrationStatus.CONFIRMED  # GET is safe
    with committing():
        response = client.post(link, {"accion": "cancelar"})
    assert "quedó cancelado" in response.content.decode()
    assert Registration.objects.get(pk=first.pk).status == RegistrationStatus.CANCELLED
    assert Registration.objects.get(email="p2@example.org").status == RegistrationStatus.CONFIRMED
    assert Registration.objects.get(email="p3@example.org").status == RegistrationStatus.WAITLISTED
    [promoted] = mail.outbox
    assert promoted.to == ["p2@example.org"] and "lugar" in promoted.subject

    # Cancelling again changes nothing and promotes nobody else.
    with committing():
        client.post(link, {"accion": "cancelar"})
    assert Registration.objects.get(email="p3@example.org").status == RegistrationStatus.WAITLISTED
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("capacity", [3, None])
def test_a_larger_cupo_gives_the_new_places_to_those_waiting_at_once(client, site, event,
                                                                      capacity):
    """Raising the cupo (or removing it) left the waiting list waiting until someone else
    registered or cancelled: the event page offered free places while people who asked first
    stayed off the attendance list. Publishing the larger cupo promotes them in order, each
    mailed once."""
    for n in range(4):
        _post(client, event, email=f"p{n}@example.org", name=f"Persona {n}")
    mail.outbox.clear()
    event.capacity = capacity
    with committing():
        event.save_revision().publish()
    statuses = dict(Registration.objects.values_list("email", "status"))
    expected_third = RegistrationStatus.CONFIRMED
    expected_fourth = (RegistrationStatus.CONFIRMED if capacity is None
                       else RegistrationStatus.WAITLISTED)
    assert statuses["p2@example.org"] == expected_third
    assert statuses["p3@example.org"] == expected_fourth
    promoted = sorted(m.to[0] for m in mail.outbox)
    assert promoted == (["p2@example.org", "p3@example.org"] if capacity is None
                        else ["p2@example.org"])
    assert all("lugar" in m.subject for m in mail.outbox)
    mail.outbox.clear()
    with committing():  # saving again promotes nobody twice
        event.save_revision().publish()
    assert mail.outbox == []


def test_whoever_registers_in_english_gets_their_mails_in_english(client, site, event):
    """A person who chose English filled the form and read «Check your email», but the
    confirmation, the place freed for them and the survey came in Spanish («Registro
    confirmado», «Hola, …: Su lugar … está confirmado»)."""
    client.cookies["django_language"] = "en"
    _post(client, event, email="bob@example.org")
    [message] = mail.outbox
    assert message.subject.startswith("Registration confirmed: ")
    assert "is confirmed" in message.body and "Hola" not in message.body
    assert Registration.objects.get().language == "en"
    # Reminders, promotions and the survey are sent later, from no request at all.
    mail.outbox.clear()
    with committing():
        participation.remind(Registration.objects.get().pk)
    assert "Hola" not in mail.outbox[0].body
    # Spanish stays the default for everyone else.
    client.cookies.pop("django_language")
    _post(client, event, email="ana@example.org")
    assert mail.outbox[-1].subject.startswith("Registro confirmado: ")


def test_the_same_email_cannot_register_twice_nor_learn_that_it_was(client, site, event):
    first = _post(client, event)
    assert first.status_code == 302
    second = _post(client, event, email="ANA@example.org", name="Un extraño")
    # The second answer is the first one: whoever typed the address learns nothing…
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert Registration.objects.count() == 1
    assert Registration.objects.get().name == "Ana Pérez"
    # …and the owner of the address gets their own link again.
    confirmation, reminder = mail.outbox
    assert reminder.to == ["ana@example.org"]
    assert "ya estaba registrado" in reminder.body
    token = _link(reminder.body, "mi-registro").rstrip("/").rsplit("/", 1)[1]
    assert participation.registration_from_token(token) == Registration.objects.get()


def test_the_database_refuses_a_second_live_registration_of_one_email(event):
    Registration.objects.create(event=event, name="A", email="a@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(event=event, name="B", email="a@example.org")
    # After cancelling, the person may register again.
    Registration.objects.update(status=RegistrationStatus.CANCELLED)
    Registration.objects.create(event=event, name="A", email="a@example.org")


def test_without_consent_nothing_is_saved(client, site, event):
    response = _post(client, event, consent="")
    assert response.status_code == 400
    assert "aviso de privacidad" in response.content.decode()
    assert not Registration.objects.exists() and not mail.outbox


@pytest.mark.parametrize("change", [
    {"registration_enabled": False},
    {"registration_deadline": "past"},
    {"starts_at": "past"},
])
def test_closed_registration_offers_no_form_and_refuses_posts(client, site, infoem, change):
    now = timezone.now()
    values = {"registration_enabled": True}
    for key, value in change.items():
        values[key] = now - dt.timedelta(hours=1) if value == "past" else value
    event = EventFactory(organizers=[infoem], **values)
    assert "Registrarme" not in client.get(event.get_absolute_url()).content.decode()
    response = _post(client, event)
    assert response.status_code == 400
    assert "cerrado" in response.content.decode()
    assert not Registration.objects.exists()


def test_the_event_page_with_the_form_is_never_stored_by_the_page_cache(client, site, event,
                                                                         settings):
    settings.ENLACE_PAGE_CACHE_SECONDS = 600
    first = client.get(event.get_absolute_url())
    second = client.get(event.get_absolute_url())
    assert second.get("X-Cache") != "hit"
    assert b"csrfmiddlewaretoken" in first.content and b"csrfmiddlewaretoken" in second.content


def test_registrants_are_never_shown_publicly(client, site, event):
    _post(client, event, name="Persona Secreta", email="secreta@example.org")
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Persona Secreta" not in page and "secreta@example.org" not in page
    for fmt in ("json", "csv"):
        response = client.get(f"/datos/participacion.{fmt}")
        body = (response.content if fmt == "json" else b"".join(response.streaming_content))
        assert b"secreta" not in body.lower() and b"Persona Secreta" not in body


# --- Fuzzing the public side ----------------------------------------------------------------

@pytest.mark.parametrize("data, message", [
    ({"name": "x" * 201}, "200"),
    ({"name": "   "}, "necesario"),
    ({"email": "no-es-correo"}, "correo"),
    ({"email": "a" * 250 + "@example.org"}, "254"),
    ({"organization": "o" * 201}, "200"),
    ({"name": "=HYPERLINK(\"http://x\")\x00"}, ""),
    # Only control characters: accepted, then stored as an empty name (attendance list).
    ({"name": "\x01\x1b\u202e\x7f"}, "Escriba su nombre."),
])
def test_bad_registration_input_gets_a_spanish_message_and_saves_nothing(client, site, event,
                                                                        data, message):
    response = _post(client, event, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Registration.objects.exists()


@pytest.mark.parametrize("path", [
    "/calendario/no-existe/registro/",
    "/calendario/%00/registro/",
    "/calendario/" + "a" * 500 + "/registro/",
])
def test_registration_for_unknown_events_is_404(client, path):
    assert client.post(path, {"name": "A", "email": "a@example.org", "consent": "on"}
                       ).status_code == 404


def test_wrong_methods_are_refused(client, site, event):
    url = f"/calendario/{event.slug}/registro/"
    assert client.put(url).status_code == 405
    # A wrong link is an address that does not exist: the 404 a GET gets, whatever the method.
    assert client.delete("/participacion/mi-registro/abc/").status_code == 404


def test_the_registration_address_opened_again_leads_back_to_the_form(client, site, event):
    """A form with errors is answered at /registro/: switching the language there (the switch
    returns to the same address), reloading it from the address bar or sharing it opened an
    empty 405 page. It leads back to the event's form instead."""
    response = _post(client, event, email="no-es-correo")
    assert response.status_code == 400
    switch = re.search(r'href="(/idioma/en/\?next=[^"]+)"', response.content.decode())[1]
    answer = client.get(switch.replace("&amp;", "&"), follow=True)
    assert answer.status_code == 200
    assert answer.redirect_chain[-1][0] == f"/calendario/{event.slug}/#registro"
    assert "Registration" in answer.content.decode()  # the form, now in English
    assert not Registration.objects.exists()


@pytest.mark.parametrize("token", ["abc", "0", "-1", str(2**63), "x" * 400, "eyJyIjo5OTl9:a:b",
                                   "%00"])
def test_forged_links_are_404_in_spanish(client, site, token):
    for part in ("mi-registro", "encuesta"):
        response = client.get(f"/participacion/{part}/{token}/")
        assert response.status_code == 404
        assert "Enlace no válido" in response.content.decode()


def test_a_registration_link_does_not_open_the_survey(client, site, event):
    registration = Registration.objects.create(event=event, name="A", email="a@example.org",
                                               attended=True)
    token = participation.registration_token(registration)
    assert client.get(f"/participacion/encuesta/{token}/").status_code == 404


# --- Attendance in the admin -----------------------------------------------------------------

def _attendance(event):
    return f"/admin/red/eventos/{event.pk}/asistencia/"


def test_officer_of_the_organiser_takes_attendance(officer_client, event):
    ana = Registration.objects.create(event=event, name="Ana Pérez", email="ana@example.org")
    luis = Registration.objects.create(event=event, name="Luis Díaz", email="luis@example.org")
    page = officer_client.get(_attendance(event)).content.decode()
    assert "Ana Pérez" in page and "luis@example.org" in page
    response = officer_client.post(_attendance(event), {"accion": "asistencia",
                                                       "asistio": [str(ana.pk), "999999",
                                                                   str(2**64), "x"]})
    assert response.status_code == 302
    ana.refresh_from_db(), luis.refresh_from_db()
    assert ana.attended and not luis.attended


def test_walk_ins_are_recorded_as_present(officer_client, event):
    response = officer_client.post(_attendance(event), {
        "accion": "sin-registro", "nueva-name": "Rosa Cruz", "nueva-email": "rosa@example.org",
        "nueva-consent": "on"})
    assert response.status_code == 302
    rosa = Registration.objects.get(email="rosa@example.org")
    assert rosa.walk_in and rosa.attended
    # Without consent the e-mail is not kept.
    response = officer_client.post(_attendance(event), {
        "accion": "sin-registro", "nueva-name": "Sin Permiso", "nueva-email": "s@example.org"})
    assert response.status_code == 400 and "aviso de privacidad" in response.content.decode()
    assert not Registration.objects.filter(name="Sin Permiso").exists()
    # A name of control characters only was added as a nameless walk-in.
    response = officer_client.post(_attendance(event), {
        "accion": "sin-registro", "nueva-name": "\x01\x1b\u202e"})
    assert response.status_code == 400 and "Escriba el nombre" in response.content.decode()
    assert Registration.objects.filter(walk_in=True).count() == 1


@pytest.mark.parametrize("consent", ["on", ""])
def test_someone_on_the_waiting_list_who_comes_is_seated_and_marked_present(officer_client,
                                                                            event, consent):
    """The walk-in form answered «Ese correo ya está registrado: marque su asistencia en la
    lista» for a person on the waiting list, who is not in that list: they could only be added
    without their e-mail (no survey). They get their place and are marked present, once, with
    the consent they gave when registering."""
    for n in range(2):
        Registration.objects.create(event=event, name=f"Persona {n}", email=f"p{n}@example.org")
    waiting = Registration.objects.create(event=event, name="Rosa Cruz", email="rosa@example.org",
                                          status=RegistrationStatus.WAITLISTED,
                                          consent_at=timezone.now())
    response = officer_client.post(_attendance(event), {
        "accion": "sin-registro", "nueva-name": "Rosa Cruz", "nueva-email": "Rosa@Example.org",
        "nueva-consent": consent})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED and waiting.attended
    assert Registration.objects.filter(email="rosa@example.org").count() == 1
    page = officer_client.get(_attendance(event)).content.decode()
    assert f'name="asistio" value="{waiting.pk}" id="asistio-{waiting.pk}" checked' in page


def test_other_institutions_and_the_editorial_committee_cannot_see_registrants(client, event,
                                                                               itei):
    Registration.objects.create(event=event, name="Ana Pérez", email="ana@example.org")
    other = UserFactory(username="oficial-itei", groups=[rules.COMMUNICATIONS])
    StaffProfile.objects.create(user=other, institution=itei)
    editor = UserFactory(username="editora", groups=[rules.EDITORIAL])
    for user in (other, editor):
        client.force_login(user)
        response = client.get(_attendance(event))
        assert response.status_code in (302, 403)
        assert b"Ana P" not in response.content


@pytest.mark.parametrize("event_id", ["0", "-1", str(2**63), str(2**64), "abc"])
def test_odd_event_ids_on_the_attendance_screen(coordinator_client, event_id):
    assert coordinator_client.get(f"/admin/red/eventos/{event_id}/asistencia/"
                                  ).status_code == 404


def test_coordination_sees_the_attendance_button_on_the_event_listing(coordinator_client,
                                                                      event):
    page = coordinator_client.get("/admin/snippets/network/event/").content.decode()
    assert _attendance(event) in page


# --- Survey ------------------------------------------------------------------------------------

@pytest.fixture
def past_event(infoem):
    start = timezone.now() - dt.timedelta(days=2)
    return EventFactory(title="Capacitación en datos personales", organizers=[infoem],
                        starts_at=start, ends_at=start + dt.timedelta(hours=2),
                        mechanism=ParticipationMechanism.TRAINING)


def test_surveys_go_once_to_each_attendee_with_an_email(past_event):
    came = Registration.objects.create(event=past_event, name="A", email="a@example.org",
                                       attended=True)
    Registration.objects.create(event=past_event, name="B", email="b@example.org")
    Registration.objects.create(event=past_event, name="C", walk_in=True, attended=True)
    assert participation.send_surveys() == 1
    assert participation.send_surveys() == 0
    [message] = mail.outbox
    assert message.to == ["a@example.org"] and "/participacion/encuesta/" in message.body
    came.refresh_from_db()
    assert came.survey_claimed_at and came.survey_sent_at


@pytest.mark.parametrize("ended_days_ago, hours_long, sent", [
    (29, 2, True), (31, 2, False), (35, 2, False), (5, 24 * 60, True)])
def test_surveys_go_only_for_events_that_ended_in_the_last_30_days(infoem, ended_days_ago,
                                                                   hours_long, sent):
    """The window is the event's end: a one-day event of 35 days ago (attendance taken late)
    got a survey, and one that ran for two months and ended last week got none."""
    ends = timezone.now() - dt.timedelta(days=ended_days_ago)
    event = EventFactory(organizers=[infoem], starts_at=ends - dt.timedelta(hours=hours_long),
                         ends_at=ends)
    Registration.objects.create(event=event, name="A", email="a@example.org", attended=True)
    assert participation.send_surveys() == (1 if sent else 0)


def test_the_survey_is_answered_once(client, site, past_event):
    came = Registration.objects.create(event=past_event, name="A", email="a@example.org",
                                       attended=True)
    url = f"/participacion/encuesta/{participation.survey_token(came)}/"
    assert "Encuesta de satisfacción" in client.get(url).content.decode()
    for bad in ("0", "6", "abc", "", str(2**63)):
        assert client.post(url, {"rating": bad}).status_code == 400
    assert client.post(url, {"rating": "4", "comments": "Muy útil"}).status_code == 200
    client.post(url, {"rating": "1"})
    answer = SurveyResponse.objects.get()
    assert (answer.rating, answer.comments) == (4, "Muy útil")
    with pytest.raises(participation.ParticipationError):
        participation.answer_survey(came.pk, rating=2)


def test_a_survey_comment_longer_than_allowed_is_refused(client, site, past_event):
    came = Registration.objects.create(event=past_event, name="A", email="a@example.org",
                                       attended=True)
    url = f"/participacion/encuesta/{participation.survey_token(came)}/"
    assert client.post(url, {"rating": "5", "comments": "x" * 2001}).status_code == 400
    assert not SurveyResponse.objects.exists()


def test_a_registration_cannot_be_cancelled_once_the_event_has_begun(client, site, event):
    import datetime as dt

    from django.utils import timezone

    _post(client, event)
    link = _link(mail.outbox[0].body, "mi-registro")
    type(event).objects.filter(pk=event.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=5))
    with committing():
        page = client.post(link, {"accion": "cancelar"}).content.decode()
    assert Registration.objects.get().status == RegistrationStatus.CONFIRMED
    assert 'value="cancelar"' not in page


def test_cancelling_after_the_event_began_says_it_was_not_cancelled(client, site, event):
    """Someone who opened «¿Cancelar su registro?» before the event and pressed «Sí, cancelar
    mi registro» after it began got the page back reading «Tiene un lugar confirmado», with no
    word that their cancelling was not done."""
    _post(client, event)
    link = _link(mail.outbox[0].body, "mi-registro")
    assert "¿Cancelar su registro?" in client.get(f"{link}?cancelar=1").content.decode()
    type(event).objects.filter(pk=event.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=5))
    with committing():
        page = client.post(link, {"accion": "cancelar"}).content.decode()
    assert Registration.objects.get().status == RegistrationStatus.CONFIRMED
    assert "El evento ya comenzó: su registro no se canceló" in page
    client.cookies["django_language"] = "en"
    with committing():
        page = client.post(link, {"accion": "cancelar"}).content.decode()
    assert "The event has already begun: your registration was not cancelled" in page


def test_registrations_from_one_address_are_limited_and_the_extra_one_saves_nothing(
        client, site, event, monkeypatch):
    from network.views import participation as views

    monkeypatch.setattr(views, "REGISTRATIONS_PER_ADDRESS", 2)
    event.capacity = None
    event.save()
    for n in range(2):
        assert _post(client, event, email=f"persona{n}@example.org").status_code == 302
    response = _post(client, event, email="persona9@example.org")
    assert response.status_code == 429
    assert "demasiados registros" in response.content.decode()
    assert Registration.objects.count() == 2 and len(mail.outbox) == 2


def test_cancelling_asks_first_on_a_page_that_says_what_will_happen(client, site, event):
    """«Cancelar mi registro» cancelled in one tap and gave the place away."""
    _post(client, event)
    link = _link(mail.outbox[0].body, "mi-registro")
    page = client.get(link).content.decode()
    assert 'value="cancelar"' not in page  # no one-tap cancelling form
    assert f'href="{link}?cancelar=1"' in page and "Cancelar mi registro" in page
    asked = client.get(f"{link}?cancelar=1").content.decode()
    assert Registration.objects.get().status == RegistrationStatus.CONFIRMED  # asking is safe
    assert "¿Cancelar su registro?" in asked
    assert "su lugar pasará a la siguiente persona en la lista de espera" in asked
    assert 'value="cancelar"' in asked and "Sí, cancelar mi registro" in asked
    assert f'href="{link}"' in asked and "No, conservar mi registro" in asked
    with committing():
        done = client.post(link, {"accion": "cancelar"}).content.decode()
    assert "quedó cancelado" in done
    assert Registration.objects.get().status == RegistrationStatus.CANCELLED
