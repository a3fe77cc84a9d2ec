"""Attacks on the citizen's registration page and its «¿Cancelar su registro?» confirmation:
forged and foreign links are «not valid» pages, asking never changes anything, and cancelling
twice frees one place and sends one mail."""

import pytest
from django.core import mail, signing
from django.test import TestCase

from network.domain import participation
from network.enums import ParticipationMechanism, RegistrationStatus
from network.models import Registration
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registrations(infoem):
    event = EventFactory(title="Mesa de diálogo", organizers=[infoem], registration_enabled=True,
                         mechanism=ParticipationMechanism.DIALOGUE, capacity=1)
    return [Registration.objects.create(event=event, name=f"Persona {n}",
                                        email=f"p{n}@example.org", status=status)
            for n, status in enumerate([RegistrationStatus.CONFIRMED,
                                        RegistrationStatus.WAITLISTED])]


def _link(token: str) -> str:
    return f"/participacion/mi-registro/{token}/"


def _statuses():
    return list(Registration.objects.order_by("pk").values_list("status", flat=True))


def _forged(registrations):
    first = registrations[0]
    good = participation.registration_token(first)
    return [good[:-2] + ("AA" if not good.endswith("AA") else "BB"),
            participation.survey_token(first),  # a survey link is not a cancellation link
            signing.dumps({"r": first.pk, "e": first.event_id}),  # no salt
            signing.dumps({"r": first.pk, "e": first.event_id + 1},
                          salt=participation.REGISTRATION_SALT),
            signing.dumps({"r": 2**63, "e": first.event_id}, salt=participation.REGISTRATION_SALT),
            signing.dumps(["r", first.pk], salt=participation.REGISTRATION_SALT),
            "x" * 5000, "%00", "0"]


def test_forged_and_foreign_links_are_not_valid_and_cancel_nothing(client, site, registrations):
    before = _statuses()
    for token in _forged(registrations):
        for response in (client.get(_link(token), {"cancelar": "1"}),
                         client.post(_link(token), {"accion": "cancelar"})):
            assert response.status_code in (400, 404), token
            assert "Persona 0" not in response.content.decode()
    assert _statuses() == before and not mail.outbox


@pytest.mark.parametrize("value", ["1", "", "%00", "0", "x" * 5000, ["1", "2"]])
def test_asking_to_cancel_never_changes_anything(client, site, registrations, value):
    before = _statuses()
    link = _link(participation.registration_token(registrations[0]))
    response = client.get(link, {"cancelar": value, "accion": "cancelar"})
    assert response.status_code == 200
    assert "¿Cancelar su registro?" in response.content.decode()
    assert _statuses() == before and not mail.outbox


def test_cancelling_twice_frees_one_place_and_mails_once(client, site, registrations):
    link = _link(participation.registration_token(registrations[0]))
    for _ in range(2):
        with TestCase.captureOnCommitCallbacks(execute=True):
            assert client.post(link, {"accion": "cancelar"}).status_code == 200
    assert _statuses() == [RegistrationStatus.CANCELLED, RegistrationStatus.CONFIRMED]
    assert len(mail.outbox) == 1
