"""The open-data participation dataset is added up by the database: its totals on a small
network, computed by hand, and the same number of queries and rows read however many events
and registrations the network holds."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from network.domain.participation_indicators import open_data_rows
from network.enums import EventKind, ParticipationMechanism, RegistrationStatus
from network.models import Registration, SurveyResponse
from tests.factories import EventFactory, InstitutionFactory
from tests.queries import queries_and_rows

pytestmark = pytest.mark.django_db

MX = ZoneInfo("America/Mexico_City")
TRAINING, DIALOGUE, HEARING = (ParticipationMechanism.TRAINING, ParticipationMechanism.DIALOGUE,
                               ParticipationMechanism.PUBLIC_HEARING)
CONFIRMED, WAITING, CANCELLED = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED,
                                 RegistrationStatus.CANCELLED)


def _event(organizers, mechanism, starts_at, people=(), *, kind=EventKind.CONVERSATORIO,
           live=True):
    """``people``: (status, attended, rating or None) of each registration."""
    event = EventFactory(organizers=organizers, mechanism=mechanism, kind=kind, live=live,
                         starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=2))
    for n, (status, attended, rating) in enumerate(people):
        person = Registration.objects.create(event=event, name=f"P{n}", status=status,
                                             email=f"p{n}-{event.pk}@example.org",
                                             attended=attended)
        if rating is not None:
            SurveyResponse.objects.create(registration=person, rating=rating)
    return event


@pytest.fixture
def network(infoem, itei):
    """Eight events of 2025 (Mexico City time), one of them at 23:30 on March 31: the first
    quarter there, the second in UTC."""
    lone = InstitutionFactory(acronym="ZSINREG", region=None)
    _event([infoem, itei], TRAINING, dt.datetime(2025, 3, 31, 23, 30, tzinfo=MX), [
        (CONFIRMED, True, 5), (CONFIRMED, True, 4), (CONFIRMED, True, 3),
        (CONFIRMED, False, None), (CANCELLED, False, None), (WAITING, False, None)])
    _event([infoem], TRAINING, dt.datetime(2025, 2, 10, 10, tzinfo=MX),
           [(CONFIRMED, True, 1)])
    _event([infoem], DIALOGUE, dt.datetime(2025, 4, 15, 10, tzinfo=MX),
           [(CONFIRMED, True, 2), (CONFIRMED, True, None)], kind=EventKind.TRAINING)
    _event([], "", dt.datetime(2025, 5, 2, 10, tzinfo=MX),
           [(CONFIRMED, True, None), (CONFIRMED, True, None)])
    _event([lone], HEARING, dt.datetime(2025, 6, 30, 20, tzinfo=MX))
    _event([lone], TRAINING, dt.datetime(2025, 6, 29, 9, tzinfo=MX), [(CONFIRMED, True, 4)])
    _event([infoem], "", dt.datetime(2025, 6, 1, 10, tzinfo=MX))  # no participation: no row
    _event([infoem], TRAINING, dt.datetime(2025, 6, 2, 10, tzinfo=MX),  # not published
           [(CONFIRMED, True, 5)], live=False)
    return {"infoem": infoem, "itei": itei, "lone": lone}


def _row(year, quarter, institution, mechanism, events, registered, attendees, trained,
         answers, satisfaction):
    return {"anio": year, "trimestre": quarter,
            "institucion": institution.acronym if institution else None,
            "region": institution.region.name if institution and institution.region else None,
            "mecanismo": str(ParticipationMechanism(mechanism).label) if mechanism else None,
            "eventos": events, "personas_registradas": registered, "asistentes": attendees,
            "personas_capacitadas": trained, "respuestas_encuesta": answers,
            "satisfaccion_promedio": satisfaction}


def test_the_totals_per_quarter_institution_and_mechanism_as_computed_by_hand(client, network):
    infoem, itei, lone = network["infoem"], network["itei"], network["lone"]
    rows = client.get("/datos/participacion.json").json()["results"]
    assert rows == [
        # The event of two institutions counts for each; 13 / 4 answers = 3.25.
        _row(2025, 1, infoem, TRAINING, 2, 5, 4, 4, 4, 3.25),
        _row(2025, 1, itei, TRAINING, 1, 4, 3, 3, 3, 4.0),
        # No organizer, no mechanism: people came all the same.
        _row(2025, 2, None, "", 1, 2, 2, 0, 0, None),
        # A training by its kind; one answer is too few to publish an average.
        _row(2025, 2, infoem, DIALOGUE, 1, 2, 2, 2, 1, None),
        # A mechanism and no one registered: held, all zeros; its institution has no region.
        _row(2025, 2, lone, HEARING, 1, 0, 0, 0, 0, None),
        _row(2025, 2, lone, TRAINING, 1, 1, 1, 1, 1, None),
    ]


def _cost() -> tuple[int, int]:
    with queries_and_rows() as cost:
        list(open_data_rows())
    return cost()


def test_the_queries_and_rows_read_stay_the_same_however_many_events_and_people(network):
    """A year of the network holds thousands of events and registrations: the dataset read
    every event and added them up in Python. The database adds them up; it sends one row
    per quarter, institution and mechanism, in the same queries."""
    infoem, itei = network["infoem"], network["itei"]
    before = _cost()
    for n in range(30):
        _event([infoem, itei], TRAINING, dt.datetime(2025, 3, 1, 10, n, tzinfo=MX),
               [(CONFIRMED, True, 1 + n % 5), (CONFIRMED, False, None), (CANCELLED, False, 2)])
        _event([infoem], DIALOGUE, dt.datetime(2025, 4, 20, 10, n, tzinfo=MX),
               [(CONFIRMED, True, None)])
    assert _cost() == before
