import datetime as dt
import re

import pytest
from django.utils import timezone
from icalendar import Calendar

from network.enums import EventKind
from network.models import Institution
from tests.factories import EventFactory, PersonFactory, VideoCapsuleFactory

pytestmark = pytest.mark.django_db


def test_directory_lists_current_institutions_and_filters_by_region_and_state(client):
    html = client.get("/instituciones/").content.decode()
    assert "INFOEM" in html and "ITEI" in html
    assert "INAI</a>" not in html  # dissolved in 2025: hidden unless asked for
    html = client.get("/instituciones/?region=sureste").content.decode()
    assert "IVAI" in html and "INFOEM" not in html
    html = client.get("/instituciones/?entidad=JAL").content.decode()
    assert "ITEI" in html and "IVAI" not in html
    html = client.get("/instituciones/?historicas=1").content.decode()
    assert "INAI" in html and "Ya no vigente" in html


def test_directory_ignores_unknown_filter_values(client):
    response = client.get("/instituciones/?region=<script>&entidad=XX")
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_institution_page_shows_only_public_contacts_and_public_fields(client, infoem):
    PersonFactory(institution=infoem, name="Laura Pública", is_public=True,
                  email="laura@infoem.example", email_public=True,
                  phone="722 111 2222", phone_public=False)
    PersonFactory(institution=infoem, name="Pedro Privado", is_public=False,
                  email="pedro@infoem.example")
    html = client.get("/instituciones/infoem/").content.decode()
    assert "Laura Pública" in html and "laura@infoem.example" in html
    assert "722 111 2222" not in html
    assert "Pedro Privado" not in html and "pedro@infoem.example" not in html


def test_institution_side_column_is_each_institutions_own_and_follows_its_people(
        client, infoem, itei, site):
    laura = PersonFactory(institution=infoem, name="Laura Pública", is_public=True)
    PersonFactory(institution=itei, name="Tomás de Jalisco", is_public=True)
    for _ in range(2):  # the side column is kept per institution and generation
        infoem_html = client.get("/instituciones/infoem/").content.decode()
        itei_html = client.get("/instituciones/itei/").content.decode()
        assert "Laura Pública" in infoem_html and "Tomás de Jalisco" not in infoem_html
        assert "Tomás de Jalisco" in itei_html and "Laura Pública" not in itei_html
    laura.name = "Laura Renombrada"
    laura.save()
    PersonFactory(institution=infoem, name="Pedro Privado", is_public=False)
    html = client.get("/instituciones/infoem/").content.decode()
    assert "Laura Renombrada" in html and "Laura Pública" not in html
    assert "Pedro Privado" not in html
    laura.is_public = False
    laura.save()
    html = client.get("/instituciones/infoem/").content.decode()
    assert "Laura Renombrada" not in html and "Sin contactos públicos." in html


def test_institution_page_lists_its_upcoming_public_events_and_capsules(client, infoem, itei):
    EventFactory(title="Foro del INFOEM", organizers=[infoem])
    EventFactory(title="Borrador del INFOEM", organizers=[infoem], live=False)
    EventFactory(title="Foro del ITEI", organizers=[itei])
    VideoCapsuleFactory(title="Cápsula INFOEM", institution=infoem)
    html = client.get("/instituciones/infoem/").content.decode()
    assert "Foro del INFOEM" in html and "Cápsula INFOEM" in html
    assert "Borrador del INFOEM" not in html and "Foro del ITEI" not in html


def test_unknown_institution_is_a_404_in_spanish(client):
    response = client.get("/instituciones/no-existe/")
    assert response.status_code == 404
    assert "Página no encontrada" in response.content.decode()


def test_calendar_month_view_places_events_on_their_mexico_city_day(client):
    # 23:30 in Mexico City is already the next day in UTC: it must show on the local day.
    local = dt.datetime(2026, 11, 10, 23, 30, tzinfo=timezone.get_current_timezone())
    EventFactory(title="Evento nocturno", starts_at=local, ends_at=local + dt.timedelta(hours=1))
    response = client.get("/calendario/?mes=2026-11")
    weeks = response.context["weeks"]
    days = {d["date"]: d["events"] for week in weeks for d in week}
    assert [e.title for e in days[dt.date(2026, 11, 10)]] == ["Evento nocturno"]
    assert days[dt.date(2026, 11, 11)] == []
    assert "noviembre de 2026" in response.content.decode()  # lower case, as Spanish writes it


def test_calendar_filters_by_type_institution_and_region(client, infoem, itei):
    EventFactory(title="Foro INFOEM", kind=EventKind.FORUM, organizers=[infoem])
    EventFactory(title="Capacitación ITEI", kind=EventKind.TRAINING, organizers=[itei])
    html = client.get("/calendario/?vista=lista&tipo=foro").content.decode()
    assert "Foro INFOEM" in html and "Capacitación ITEI" not in html
    html = client.get("/calendario/?vista=lista&institucion=itei").content.decode()
    assert "Capacitación ITEI" in html and "Foro INFOEM" not in html
    html = client.get("/calendario/?vista=lista&region=centro").content.decode()
    assert "Foro INFOEM" in html and "Capacitación ITEI" not in html


def selected_options(html: str) -> list[str]:
    return re.findall(r'<option value="([^"]*)" selected>', html)


def test_calendar_filters_show_each_visits_own_choice(client, infoem, itei, site):
    # The selects are kept per choice and generation: each visit shows what it asked for,
    # an unknown value shows "Todas", and a new institution appears at once.
    for _ in range(2):
        assert selected_options(client.get("/calendario/?institucion=infoem&tipo=foro")
                                .content.decode()) == ["infoem", "foro"]
        assert selected_options(client.get("/calendario/?vista=lista&institucion=itei&region=centro")
                                .content.decode()) == ["centro", "itei"]
        html = client.get("/calendario/?institucion=%22%3E%3Cscript%3E&tipo=nada").content.decode()
        assert selected_options(html) == [] and "<script>" not in html
    assert 'value="nuevo"' not in client.get("/calendario/").content.decode()
    Institution.objects.create(name="Órgano Nuevo", acronym="NUEVO", slug="nuevo",
                               state=infoem.state, region=infoem.region)
    assert '<option value="nuevo">NUEVO</option>' in client.get("/calendario/").content.decode()


def test_calendar_month_cells_link_their_events_and_the_rest_of_a_busy_day(client, site):
    local = dt.datetime(2026, 11, 10, 9, 0, tzinfo=timezone.get_current_timezone())
    for hour in range(5):
        start = local + dt.timedelta(hours=hour)
        EventFactory(title=f"Taller <{hour}>", kind=EventKind.TRAINING, starts_at=start,
                     ends_at=start + dt.timedelta(minutes=30))
    html = client.get("/calendario/?mes=2026-11&tipo=capacitacion&otro=%3Cb%3E").content.decode()
    cell = html[html.index('<span class="day">10</span>'):]
    cell = cell[:cell.index("</td>")]
    assert re.findall(r'<time datetime="[^"]+">(\d\d:\d\d)</time> Taller &lt;(\d)&gt;', cell) == [
        ("09:00", "0"), ("10:00", "1"), ("11:00", "2")]
    more = re.search(r'<a class="more" href="([^"]+)">y 2 más</a>', cell)
    assert more and "dia=2026-11-10" in more.group(1) and "vista=lista" in more.group(1)
    assert "<b>" not in html and "mes=" not in more.group(1)
    agenda = html[html.index('<div class="month-agenda">'):]
    assert agenda.count("Taller &lt;") == 3 and ">y 2 más</a></li>" in agenda
    assert "10 de noviembre" in agenda


def test_calendar_hides_drafts_and_survives_a_bad_month(client):
    EventFactory(title="Evento en borrador", live=False)
    assert "Evento en borrador" not in client.get("/calendario/?vista=lista").content.decode()
    for month in ("2026-13", "hola"):
        response = client.get(f"/calendario/?mes={month}")
        assert response.status_code == 400  # the calendar, with a Spanish explanation
        assert "El mes debe escribirse como AAAA-MM" in response.content.decode()


def test_event_page_shows_times_in_mexico_city(client, infoem):
    start = dt.datetime(2026, 12, 1, 16, 0, tzinfo=dt.UTC)  # 10:00 in Mexico City
    event = EventFactory(title="Mesa de análisis", starts_at=start, organizers=[infoem])
    html = client.get(event.get_absolute_url()).content.decode()
    assert "10:00" in html and "Mesa de análisis" in html
    assert client.get(f"/calendario/{EventFactory(live=False).slug}/").status_code == 404


def test_ical_feed_is_valid_and_follows_the_filters(client, infoem, itei):
    EventFactory(title="Foro INFOEM", kind=EventKind.FORUM, organizers=[infoem])
    EventFactory(title="Capacitación ITEI", kind=EventKind.TRAINING, organizers=[itei])
    response = client.get("/calendario.ics?institucion=infoem")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    summaries = [str(c["summary"]) for c in calendar.walk("VEVENT")]
    assert summaries == ["Foro INFOEM"]
    event = calendar.walk("VEVENT")[0]
    assert event["dtstart"].dt.tzinfo is not None
    assert str(event["uid"]).endswith("@enlace-snt")


def test_capsule_pages_and_embed(client, infoem):
    capsule = VideoCapsuleFactory(title="Derecho a saber", institution=infoem)
    VideoCapsuleFactory(title="Cápsula en borrador", live=False)
    listing = client.get("/capsulas/").content.decode()
    assert "Derecho a saber" in listing and "Cápsula en borrador" not in listing
    detail = client.get(capsule.get_absolute_url()).content.decode()
    assert "youtube-nocookie.com/embed/" in detail and "<iframe" in detail
    embed = client.get(capsule.get_absolute_url() + "embed/")
    assert embed.status_code == 200
    assert "X-Frame-Options" not in embed.headers  # embeddable on other sites
    assert client.get("/capsulas/").headers["X-Frame-Options"] == "SAMEORIGIN"


def test_capsules_filter_by_state(client, infoem, itei):
    VideoCapsuleFactory(title="Cápsula Edomex", institution=infoem, state="MEX")
    VideoCapsuleFactory(title="Cápsula Jalisco", institution=itei, state="JAL")
    html = client.get("/capsulas/?entidad=JAL").content.decode()
    assert "Cápsula Jalisco" in html and "Cápsula Edomex" not in html


def test_english_is_available_with_the_language_switcher(client, site):
    response = client.get("/idioma/en/", {"next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert 'lang="en"' in html
    client.get("/idioma/es-mx/", {"next": "/"})
    assert 'lang="es-MX"' in client.get("/").content.decode()


def test_browser_language_does_not_override_spanish_default(client, site):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="es-MX"' in html


def test_busy_days_show_three_events_and_link_to_the_full_day(client):
    local = dt.datetime(2026, 11, 12, 9, 0, tzinfo=timezone.get_current_timezone())
    for hour in range(5):
        EventFactory(title=f"Taller {hour}", starts_at=local + dt.timedelta(hours=hour),
                     ends_at=local + dt.timedelta(hours=hour, minutes=30))
    html = client.get("/calendario/?mes=2026-11").content.decode()
    assert "Taller 2" in html and "Taller 3" not in html
    assert "y 2 más" in html and "dia=2026-11-12" in html
    day = client.get("/calendario/?vista=lista&dia=2026-11-12").content.decode()
    assert all(f"Taller {n}" in day for n in range(5))


def test_public_pages_are_translated_to_english(client, site, infoem):
    EventFactory(title="Foro", organizers=[infoem])
    client.cookies["django_language"] = "en"
    home = client.get("/").content.decode()
    assert "Upcoming events" in home and "Próximos eventos" not in home
    calendar = client.get("/calendario/?mes=2026-11").content.decode()
    assert "Network calendar" in calendar and "november 2026" in calendar.lower()
    directory = client.get("/instituciones/").content.decode()
    assert "Institution directory" in directory


def test_event_dates_read_naturally_in_spanish_and_english(client, infoem):
    start = dt.datetime(2027, 1, 24, 19, 0, tzinfo=dt.UTC)  # 13:00 in Mexico City
    event = EventFactory(title="Seminario", starts_at=start, organizers=[infoem])
    assert "domingo 24 de enero de 2027, 13:00" in client.get(event.get_absolute_url()).content.decode()
    client.cookies["django_language"] = "en"
    assert "Sunday, January 24, 2027, 13:00" in client.get(event.get_absolute_url()).content.decode()


def test_the_ical_feed_offers_registration_only_for_events_not_over(client):
    now = timezone.now()
    EventFactory(title="Taller pasado", starts_at=now - dt.timedelta(days=3),
                 registration_url="https://example.org/registro-pasado")
    EventFactory(title="Taller futuro", starts_at=now + dt.timedelta(days=3),
                 registration_url="https://example.org/registro-futuro")
    feed = client.get("/calendario.ics").content.decode().replace("\r\n ", "")
    assert "registro-futuro" in feed
    assert "Registro: https://example.org/registro-pasado" not in feed
