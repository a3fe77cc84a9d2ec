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
