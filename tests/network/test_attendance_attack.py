"""Attack: two people take attendance at once (two doors, two tabs). Saving one screen's
checkboxes changes only the people that screen showed: a walk-in added, or a person marked
present, on the other screen meanwhile is not undone."""

import pytest

from network.enums import ParticipationMechanism
from network.models import Registration
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(infoem):
    return EventFactory(title="Mesa de diálogo sobre archivos", organizers=[infoem],
                        mechanism=ParticipationMechanism.DIALOGUE, registration_enabled=True,
                        capacity=10)


def _url(event):
    return f"/admin/red/eventos/{event.pk}/asistencia/"


def test_saving_a_stale_screen_keeps_a_walk_in_added_meanwhile(officer_client, event):
    ana = Registration.objects.create(event=event, name="Ana Pérez", email="ana@example.org")
    page = officer_client.get(_url(event)).content.decode()  # door 1 opens the screen
    assert f'name="mostrado" value="{ana.pk}"' in page
    # Door 2 records a walk-in while door 1's screen is open.
    response = officer_client.post(_url(event), {"accion": "sin-registro",
                                                 "nueva-name": "Rosa Cruz"})
    assert response.status_code == 302
    rosa = Registration.objects.get(name="Rosa Cruz")
    assert rosa.attended
    # Door 1 saves what it saw: Ana present.
    response = officer_client.post(_url(event), {"accion": "asistencia", "mostrado": [str(ana.pk)],
                                                 "asistio": [str(ana.pk)]})
    assert response.status_code == 302
    ana.refresh_from_db(), rosa.refresh_from_db()
    assert ana.attended
    assert rosa.attended  # not undone by a screen that never showed her


def test_saving_a_stale_screen_keeps_a_mark_made_meanwhile(officer_client, event):
    ana = Registration.objects.create(event=event, name="Ana Pérez", email="ana@example.org")
    luis = Registration.objects.create(event=event, name="Luis Díaz", email="luis@example.org")
    # Door 1's screen showed only Ana (Luis registered after it was opened) and leaves her absent.
    Registration.objects.filter(pk=luis.pk).update(attended=True)  # door 2 marked Luis
    response = officer_client.post(_url(event), {"accion": "asistencia",
                                                 "mostrado": [str(ana.pk)]})
    assert response.status_code == 302
    ana.refresh_from_db(), luis.refresh_from_db()
    assert not ana.attended and luis.attended


def test_unticking_a_shown_person_still_marks_them_absent(officer_client, event):
    ana = Registration.objects.create(event=event, name="Ana Pérez", email="ana@example.org",
                                      attended=True)
    response = officer_client.post(_url(event), {"accion": "asistencia",
                                                 "mostrado": [str(ana.pk), str(2**64), "x"]})
    assert response.status_code == 302
    ana.refresh_from_db()
    assert not ana.attended


def _walk_in_token(page: str) -> str:
    import re

    return re.search(r'name="nueva-envio" value="([0-9a-f]{32})"', page)[1]


def test_a_walk_in_sent_twice_is_recorded_once(officer_client, event):
    """A double click on «Agregar como asistente» (no e-mail to tell the two apart) adds one
    person, not two; the second answer says so."""
    token = _walk_in_token(officer_client.get(_url(event)).content.decode())
    form = {"accion": "sin-registro", "nueva-name": "Rosa Cruz", "nueva-envio": token}
    first = officer_client.post(_url(event), form)
    second = officer_client.post(_url(event), form, follow=True)
    assert first.status_code == 302 and second.status_code == 200
    assert Registration.objects.filter(event=event, name="Rosa Cruz").count() == 1
    assert "ya se había agregado" in second.content.decode()
    # A fresh screen adds a second person of the same name (two people may share it).
    token = _walk_in_token(officer_client.get(_url(event)).content.decode())
    officer_client.post(_url(event), {**form, "nueva-envio": token})
    assert Registration.objects.filter(event=event, name="Rosa Cruz").count() == 2


def test_a_refused_walk_in_can_be_corrected_and_sent_again(officer_client, event):
    token = _walk_in_token(officer_client.get(_url(event)).content.decode())
    refused = officer_client.post(_url(event), {
        "accion": "sin-registro", "nueva-name": "Sin Permiso", "nueva-email": "s@example.org",
        "nueva-envio": token})
    assert refused.status_code == 400
    corrected = officer_client.post(_url(event), {
        "accion": "sin-registro", "nueva-name": "Sin Permiso", "nueva-email": "s@example.org",
        "nueva-consent": "on", "nueva-envio": _walk_in_token(refused.content.decode())})
    assert corrected.status_code == 302
    assert Registration.objects.filter(event=event, name="Sin Permiso").count() == 1
