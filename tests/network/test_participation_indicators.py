"""The manual's participation indicators: people trained, satisfaction, participation by
mechanism, institution and region, on the dashboards and as open data (aggregates only)."""

import datetime as dt

import pytest
from django.utils import timezone

from hub.indicators import Period, Scope, sections
from network.enums import EventKind, ParticipationMechanism
from network.models import Registration, SurveyResponse
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def _held(institution, mechanism, *, attendees, ratings=(), kind=EventKind.CONVERSATORIO,
          start=None):
    start = start or timezone.now() - dt.timedelta(hours=3)
    event = EventFactory(organizers=[institution], mechanism=mechanism, kind=kind,
                         starts_at=start, ends_at=start + dt.timedelta(hours=2))
    people = [Registration.objects.create(event=event, name=f"P{n}",
                                          email=f"p{n}-{event.pk}@example.org",
                                          attended=n < attendees)
              for n in range(attendees + 1)]  # one registered who did not come
    for person, rating in zip(people, ratings, strict=False):
        SurveyResponse.objects.create(registration=person, rating=rating)
    return event


def _scope(**kwargs):
    """The quarter the events of ``_held`` fall in."""
    held_on = timezone.localtime(timezone.now() - dt.timedelta(hours=3)).date()
    return Scope(Period.current_quarter(held_on), **kwargs)


def _section(scope):
    return next(s for s in sections(scope) if s.key == "participacion")


def _figures(section):
    return {str(f.label): f.value for f in section.figures}


def test_people_trained_satisfaction_and_mechanisms_on_the_dashboard(infoem, itei):
    _held(infoem, ParticipationMechanism.TRAINING, attendees=3, ratings=(5, 4, 3))
    _held(itei, ParticipationMechanism.DIALOGUE, attendees=2, ratings=(2,))
    section = _section(_scope())
    figures = _figures(section)
    assert figures["Personas capacitadas"] == 3
    assert figures["Asistentes a mecanismos de participación"] == 5
    assert figures["Satisfacción ciudadana"] == 3.5  # (5 + 4 + 3 + 2) / 4
    by_mechanism = dict(section.series[0].rows)
    assert by_mechanism == {"Capacitación": 3, "Mesa de diálogo": 2}
    by_institution = dict(section.series[1].rows)
    assert by_institution == {"INFOEM": 3, "ITEI": 2}
    assert "5 personas participaron" in section.summary


def test_an_institution_sees_only_its_own_figures(infoem, itei):
    _held(infoem, ParticipationMechanism.TRAINING, attendees=3)
    _held(itei, ParticipationMechanism.TRAINING, attendees=7)
    figures = _figures(_section(_scope(institution_id=infoem.pk)))
    assert figures["Personas capacitadas"] == 3


def test_a_training_event_counts_as_training_even_without_the_mechanism(infoem):
    _held(infoem, "", attendees=4, kind=EventKind.TRAINING)
    assert _figures(_section(_scope()))["Personas capacitadas"] == 4


def test_marking_attendance_moves_the_indicator(infoem):
    event = _held(infoem, ParticipationMechanism.TRAINING, attendees=0)
    assert _figures(_section(_scope()))["Personas capacitadas"] == 0
    Registration.objects.filter(event=event).update(attended=True)
    assert _figures(_section(_scope()))["Personas capacitadas"] == 1


def test_open_data_has_aggregates_only_and_hides_small_averages(client, infoem, itei):
    _held(infoem, ParticipationMechanism.TRAINING, attendees=3, ratings=(5, 4, 3))
    _held(itei, ParticipationMechanism.PUBLIC_HEARING, attendees=2, ratings=(1,))
    payload = client.get("/datos/participacion.json").json()
    rows = {r["institucion"]: r for r in payload["results"]}
    infoem_row, itei_row = rows["INFOEM"], rows["ITEI"]
    assert infoem_row["mecanismo"] == "Capacitación"
    assert (infoem_row["asistentes"], infoem_row["personas_capacitadas"],
            infoem_row["personas_registradas"]) == (3, 3, 4)
    assert infoem_row["satisfaccion_promedio"] == 4.0
    assert itei_row["respuestas_encuesta"] == 1 and itei_row["satisfaccion_promedio"] is None
    assert set(infoem_row) == {"anio", "trimestre", "institucion", "region", "mecanismo",
                               "eventos", "personas_registradas", "asistentes",
                               "personas_capacitadas", "respuestas_encuesta",
                               "satisfaccion_promedio"}
    assert "@" not in client.get("/datos/participacion.json").content.decode()
    csv_text = b"".join(client.get("/datos/participacion.csv").streaming_content).decode()
    assert "personas_capacitadas" in csv_text.splitlines()[0] and "INFOEM" in csv_text
    assert "participacion" in client.get("/datos/").content.decode()


def test_open_data_answers_304_until_attendance_changes(client, infoem):
    event = _held(infoem, ParticipationMechanism.TRAINING, attendees=1)
    first = client.get("/datos/participacion.json")
    etag = first["ETag"]
    assert client.get("/datos/participacion.json", HTTP_IF_NONE_MATCH=etag).status_code == 304
    person = Registration.objects.filter(event=event, attended=False).first()
    person.attended = True
    person.save()
    again = client.get("/datos/participacion.json", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert again.json()["results"][0]["asistentes"] == 2


def test_the_demo_has_past_participation_and_an_open_registration(infoem, itei):
    from network.domain.demo_participation import build_participation_demo
    from network.models import Event

    assert build_participation_demo() == 5
    assert build_participation_demo() == 0  # idempotent
    upcoming = Event.objects.get(slug="demo-capacitacion-datos-personales")
    assert upcoming.accepts_registrations()
    assert Registration.objects.filter(attended=True).exists()
    assert SurveyResponse.objects.exists()


def test_an_average_of_fewer_than_three_answers_is_not_shown(infoem, itei):
    """Dashboards feed published reports: one answer would be one person's own rating."""
    _held(itei, ParticipationMechanism.DIALOGUE, attendees=2, ratings=(2,))
    section = _section(_scope(institution_id=itei.pk))
    assert _figures(section)["Satisfacción ciudadana"] is None
    assert "satisfacción" not in section.summary.lower()


def test_the_satisfaction_note_agrees_in_number_with_one_answer(infoem, itei):
    _held(itei, ParticipationMechanism.DIALOGUE, attendees=2, ratings=(2,))
    section = _section(_scope(institution_id=itei.pk))
    note = next(str(f.note) for f in section.figures if str(f.label) == "Satisfacción ciudadana")
    assert note.startswith("Promedio de 1 respuesta a la encuesta"), note


def test_the_summary_reads_as_spanish_with_one_person_and_with_none(infoem):
    """The dashboard and the quarterly report read «En 4º trimestre de 2026 no se registró…»
    (no article before the quarter) and, with one attendee, «1 personas participaron …; 1 se
    capacitaron»."""
    from django.utils import translation

    assert _section(_scope()).summary.startswith("En el ")
    _held(infoem, ParticipationMechanism.TRAINING, attendees=1)
    summary = _section(_scope()).summary
    assert summary.startswith("En el ") and ", 1 persona participó en eventos de la red; " \
        "1 se capacitó." in summary
    with translation.override("en"):
        assert "1 person took part in Network events; 1 received training." in \
            _section(_scope()).summary


def test_every_figure_and_series_with_shared_unorganized_and_regionless_events(infoem, itei):
    """The sums moved from Python to the database: an event of two institutions counts for
    each (and once per region), one without organizers under «Sin institución» and «Sin
    región», an institution without a region under «Sin región» only when no co-organizer has
    one; an event with a mechanism but no one registered still counts as held."""
    from tests.factories import InstitutionFactory

    assert infoem.region_id != itei.region_id
    lone = InstitutionFactory(acronym="ZSINREG", region=None)
    start = timezone.now() - dt.timedelta(hours=3)

    def event(organizers, mechanism, attendees, ratings=()):
        held = EventFactory(organizers=organizers, mechanism=mechanism,
                            kind=EventKind.CONVERSATORIO, starts_at=start,
                            ends_at=start + dt.timedelta(hours=2))
        for n in range(attendees):
            person = Registration.objects.create(event=held, name=f"P{n}", attended=True,
                                                 email=f"p{n}-{held.pk}@example.org")
            if n < len(ratings):
                SurveyResponse.objects.create(registration=person, rating=ratings[n])
        return held

    event([infoem, itei], ParticipationMechanism.TRAINING, 3, ratings=(5, 4))
    event([infoem, lone], ParticipationMechanism.DIALOGUE, 2)
    event([], ParticipationMechanism.DIALOGUE, 2, ratings=(3,))
    event([lone], "", 1)
    event([itei], ParticipationMechanism.PUBLIC_HEARING, 0)
    event([itei], "", 0)
    section = _section(_scope())
    assert _figures(section) == {
        "Personas capacitadas": 3, "Satisfacción ciudadana": 4.0,
        "Asistentes a mecanismos de participación": 8,
        "Eventos con participación registrada": 5}
    assert [s.rows for s in section.series] == [
        [("Mesa de diálogo", 4), ("Capacitación", 3), ("Sin mecanismo", 1)],
        [("INFOEM", 5), ("ITEI", 3), ("ZSINREG", 3), ("Sin institución", 2)],
        sorted([(infoem.region.name, 5), (itei.region.name, 3), ("Sin región", 3)],
               key=lambda r: (-r[1], r[0]))]
    own = _section(_scope(institution_id=infoem.pk))
    assert _figures(own)["Asistentes a mecanismos de participación"] == 5
    assert [s.rows for s in own.series] == [[("Capacitación", 3), ("Mesa de diálogo", 2)]]
    regional = _section(_scope(region_id=itei.region_id))
    assert _figures(regional)["Eventos con participación registrada"] == 2
    assert [s.rows for s in regional.series] == [[("Capacitación", 3)], [("INFOEM", 3), ("ITEI", 3)]]
