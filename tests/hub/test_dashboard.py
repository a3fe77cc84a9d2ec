"""The dashboard: every role sees exactly its scope, figures and charts, and the CSV export."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone
from wagtail import hooks

from campaigns.enums import ChannelKind, DeliveryState
from campaigns.models import MetricSnapshot
from hub.indicators import INDICATORS_HOOK, Figure, Period, Scope, Section, Series, sections
from network import rules
from network.enums import EventKind
from tests.campaigns.factories import ChannelFactory, DeliveryFactory, PostFactory
from tests.contests.factories import CallFactory, EntryFactory, ProfileFactory
from tests.factories import AgreementFactory, EventFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/admin/tablero/"
CSV_URL = "/admin/tablero/cifras.csv"


def _probe(scope):
    """A provider that shows whose figures were asked for."""
    return Section("probe", "Sonda de ámbito", order=0,
                   figures=[Figure("Institución pedida", scope.institution_id or 0),
                            Figure("Región pedida", scope.region_id or 0),
                            Figure("=HYPERLINK(\"http://x\")", 1)],
                   series=[Series("Serie de la sonda", [("Barra única", 42)])],
                   summary="Resumen de la sonda.")


@pytest.fixture
def probe():
    with hooks.register_temporarily(INDICATORS_HOOK, _probe):
        yield


def _quarter():
    period = Period.current_quarter()
    return {"year": period.year, "quarter": period.number}


def test_coordinator_sees_the_national_dashboard_with_figures_and_charts(coordinator_client,
                                                                         probe):
    response = coordinator_client.get(URL, _quarter())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sonda de ámbito" in html and "Resumen de la sonda." in html
    assert "<svg" in html and "Serie de la sonda" in html and "Barra única" in html
    assert "Nacional" in html
    assert response.context["scope"].is_national


def test_coordinator_chooses_an_institution_or_a_region(coordinator_client, probe, itei):
    response = coordinator_client.get(URL, {**_quarter(), "institution": itei.pk})
    assert response.context["scope"].institution_id == itei.pk
    assert "ITEI" in response.content.decode()
    response = coordinator_client.get(URL, {**_quarter(), "region": itei.region_id})
    assert response.context["scope"].region_id == itei.region_id


def test_officer_sees_only_their_own_institution(officer_client, probe, infoem):
    response = officer_client.get(URL)
    assert response.status_code == 200
    assert response.context["scope"].institution_id == infoem.pk
    assert response.context["scope"].region_id is None
    # Their own institution named explicitly is fine too.
    assert officer_client.get(URL, {"institution": infoem.pk}).status_code == 200


@pytest.mark.parametrize("params", [
    {"institution": "OTHER"}, {"region": "1"}, {"institution": "0"}, {"institution": "-1"},
    {"institution": str(2**63)}, {"institution": "abc"},
])
def test_officer_changing_the_scope_is_refused(officer_client, itei, params, probe):
    params = {k: (str(itei.pk) if v == "OTHER" else v) for k, v in params.items()}
    for url in (URL, CSV_URL):
        assert officer_client.get(url, params).status_code == 403
    response = officer_client.post("/admin/tablero/informe/", {**_quarter(), **params})
    assert response.status_code == 403


@pytest.mark.parametrize("groups", [[rules.EDITORIAL], [rules.JURY], [rules.COMMUNICATIONS]])
def test_other_roles_and_officers_without_institution_see_no_dashboard(client, groups, probe):
    user = UserFactory(groups=groups)
    client.force_login(user)
    assert client.get(URL).status_code in (302, 403)
    assert client.get(CSV_URL).status_code in (302, 403)
    home = client.get("/admin/")
    assert "Tablero:" not in home.content.decode()


def test_anonymous_is_sent_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("params", [
    {"institution": "abc"}, {"institution": "0"}, {"institution": str(2**63)},
    {"region": "-3"}, {"year": "1900"}, {"quarter": "5"}, {"quarter": "x"},
])
def test_coordinator_bad_selectors_get_a_spanish_message(coordinator_client, params, probe):
    response = coordinator_client.get(URL, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Elija" in html
    assert "Sonda de ámbito" not in html
    assert coordinator_client.get(CSV_URL, params).status_code == 400


def test_coordinator_cannot_pick_region_and_institution_together(coordinator_client, itei):
    response = coordinator_client.get(URL, {"institution": itei.pk, "region": itei.region_id})
    assert response.status_code == 400
    assert "no ambas" in response.content.decode()


def test_wrong_method_is_refused(coordinator_client):
    assert coordinator_client.post(URL).status_code == 405
    assert coordinator_client.get("/admin/tablero/informe/").status_code == 405


def test_csv_is_scoped_and_formula_safe(officer_client, infoem, probe):
    response = officer_client.get(CSV_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert rows[0][:3] == ["periodo", "ámbito", "sección"]
    probe_rows = [r for r in rows if r[2] == "Sonda de ámbito"]
    asked = {r[5]: r[6] for r in probe_rows}
    assert asked["Institución pedida"] == str(infoem.pk)
    assert asked["Región pedida"] == "0"
    assert "'=HYPERLINK(\"http://x\")" in asked
    assert ["gráfica", "Serie de la sonda", "Barra única", "42"] == [
        r for r in probe_rows if r[3] == "gráfica"][0][3:7]


def test_home_panel_summarises_the_quarter(coordinator_client, officer_client, probe):
    html = coordinator_client.get("/admin/").content.decode()
    assert "Tablero:" in html and "/admin/tablero/" in html


def test_officer_home_panel_shows_their_institution(officer_client, probe, infoem):
    html = officer_client.get("/admin/").content.decode()
    assert "Tablero:" in html and infoem.acronym in html


# --- The providers of the apps that exist today ---------------------------------------------

def _in_quarter(days=1):
    start, _end = Period.current_quarter().bounds()
    return start + dt.timedelta(days=days, hours=12)


def _section(key, scope):
    return next(s for s in sections(scope) if s.key == key)


def _figures(section):
    return {str(f.label): f.value for f in section.figures}


def test_campaigns_count_posts_per_network_and_reach_of_the_scope(infoem, itei):
    when = _in_quarter()
    telegram = ChannelFactory(kind=ChannelKind.TELEGRAM, institution=infoem)
    x = ChannelFactory(kind=ChannelKind.X, institution=infoem)
    post = PostFactory(institution=infoem)
    for channel in (telegram, x):
        DeliveryFactory(post=post, channel=channel, state=DeliveryState.SENT, finished_at=when)
    sent_x = post.deliveries.get(channel=x)
    MetricSnapshot.objects.create(delivery=sent_x, taken_at=when, impressions=100, likes=3)
    MetricSnapshot.objects.create(delivery=sent_x, taken_at=when + dt.timedelta(days=1),
                                  impressions=250, likes=7)
    DeliveryFactory(post=PostFactory(institution=itei), state=DeliveryState.SENT,
                    channel=ChannelFactory(institution=itei), finished_at=when)
    DeliveryFactory(post=PostFactory(institution=infoem), channel=telegram,
                    state=DeliveryState.FAILED, finished_at=when)
    period = Period.current_quarter()
    mine = _section("campaigns-posts", Scope(period, institution_id=infoem.pk))
    assert _figures(mine)["Publicaciones difundidas"] == 1
    assert _figures(mine)["Envíos a redes"] == 2
    assert _figures(mine)["Impresiones"] == 250 and _figures(mine)["Me gusta"] == 7
    assert dict(mine.series[0].rows) == {"Telegram": 1, "X": 1}
    national = _section("campaigns-posts", Scope(period))
    assert _figures(national)["Publicaciones difundidas"] == 2
    earlier = _section("campaigns-posts", Scope(period.previous_quarter(), institution_id=infoem.pk))
    assert _figures(earlier)["Envíos a redes"] == 0


def test_contests_count_calls_open_and_entries_of_the_scope(infoem):
    call = CallFactory(phase="open")
    category = call.categories.first()
    EntryFactory(category=category, owner=ProfileFactory(state=infoem.state).user)
    EntryFactory(category=category, owner=ProfileFactory(state="YUC").user)
    period = Period.current_quarter()
    national = _section("contests-calls", Scope(period))
    assert _figures(national)["Convocatorias abiertas en el periodo"] >= 1
    assert _figures(national)["Trabajos recibidos"] == 2
    assert dict(national.series[0].rows)[call.title] == 2
    mine = _section("contests-calls", Scope(period, institution_id=infoem.pk))
    assert _figures(mine)["Trabajos recibidos"] == 1


def test_network_counts_events_by_type_and_agreements(infoem, itei):
    last = Period.current_quarter().previous_quarter()  # its events have all taken place
    when = last.bounds()[0] + dt.timedelta(days=2, hours=12)
    EventFactory(kind=EventKind.FORUM, starts_at=when, organizers=[infoem])
    EventFactory(kind=EventKind.TRAINING, starts_at=when, organizers=[infoem, itei])
    EventFactory(kind=EventKind.FORUM, starts_at=when, organizers=[itei])
    EventFactory(kind=EventKind.FORUM, starts_at=when, organizers=[infoem], live=False)
    period = Period.current_quarter()
    AgreementFactory(signed_on=period.start, valid_from=period.start,
                     valid_until=period.end + dt.timedelta(days=400), institutions=[infoem])
    AgreementFactory(signed_on=period.start - dt.timedelta(days=500),
                     valid_from=period.start - dt.timedelta(days=500),
                     valid_until=period.end + dt.timedelta(days=10), institutions=[infoem])
    AgreementFactory(signed_on=period.start - dt.timedelta(days=500),
                     valid_until=period.start, institutions=[infoem])
    mine = Scope(period, institution_id=infoem.pk)
    events = _section("network-events", Scope(last, institution_id=infoem.pk))
    assert _figures(events)["Eventos realizados"] == 2
    assert dict(events.series[0].rows)["Foro"] == 1
    assert dict(events.series[0].rows)["Capacitación"] == 1
    agreements = _section("network-agreements", mine)
    assert _figures(agreements) == {"Convenios firmados en el periodo": 1,
                                    "Convenios vigentes al cierre": 2}
    assert _figures(_section("network-events", Scope(last)))["Eventos realizados"] == 3
    assert timezone.localdate()  # the quarter is the current one, in Mexico City time


def test_events_still_to_come_in_the_current_quarter_are_not_counted_as_held(infoem):
    """«Eventos realizados»: an event of next week is not held yet, even in this quarter."""
    now = timezone.now()
    EventFactory(kind=EventKind.FORUM, starts_at=now - dt.timedelta(hours=2), organizers=[infoem])
    EventFactory(kind=EventKind.FORUM, starts_at=now + dt.timedelta(hours=2), organizers=[infoem])
    period = Period.current_quarter()
    section = _section("network-events", Scope(period))
    start, _end = period.bounds()
    held = 1 if now - dt.timedelta(hours=2) >= start else 0
    assert _figures(section)["Eventos realizados"] == held
    assert dict(section.series[0].rows)["Foro"] == held


def test_a_bad_selector_on_the_csv_answers_a_plain_spanish_sentence(coordinator_client):
    """A hand-edited *Descargar las cifras (CSV)* link answered its message wrapped in the
    form's HTML, shown as text: «<ul class="errorlist" id="id_quarter_error"><li>…»."""
    response = coordinator_client.get(CSV_URL, {"year": 2026, "quarter": 9})
    assert response.status_code == 400
    assert response.content.decode() == "Elija un trimestre del 1 al 4."


def test_the_home_and_the_dashboard_read_as_many_queries_with_more_events_and_reports(
        coordinator_client, infoem, itei):
    """The participation and statistics figures are added up by the database: more events,
    registrations, answers and quarterly reports cost no query (at 10,000 rows the home took
    5–9 s adding them up in Python)."""
    from network.enums import ParticipationMechanism
    from network.models import Registration, SurveyResponse
    from tests.hub.statistics_factories import QuarterlyReportFactory
    from tests.queries import queries_of_get

    period = Period.current_quarter()
    start = timezone.now() - dt.timedelta(hours=3)

    def grow(institution, n):
        QuarterlyReportFactory(institution=institution, year=period.year, quarter=period.number)
        for i in range(n):
            event = EventFactory(organizers=[institution, itei][: 1 + i % 2], starts_at=start,
                                 ends_at=start + dt.timedelta(hours=2),
                                 mechanism=ParticipationMechanism.TRAINING if i % 2 else "")
            person = Registration.objects.create(event=event, name="P", attended=True,
                                                 email=f"p-{event.pk}@example.org")
            SurveyResponse.objects.create(registration=person, rating=4)

    grow(infoem, 1)
    urls = ["/admin/", f"{URL}?year={period.year}&quarter={period.number}"]
    for url in urls:
        queries_of_get(coordinator_client, url)  # warm the caches a first request fills
    few = [queries_of_get(coordinator_client, url) for url in urls]
    grow(itei, 6)
    assert [queries_of_get(coordinator_client, url) for url in urls] == few


def test_the_agreements_summary_reads_in_the_singular_for_one(infoem):
    """«Se firmaron 1 convenios… había 1 convenios vigentes» read wrong in the report."""
    period = Period.current_quarter()
    AgreementFactory(signed_on=period.start, valid_from=period.start,
                     valid_until=period.end + dt.timedelta(days=400), institutions=[infoem])
    summary = _section("network-agreements", Scope(period, institution_id=infoem.pk)).summary
    assert summary == ("En el periodo se firmó 1 convenio de colaboración; al cierre del "
                       "trimestre había 1 convenio vigente.")
