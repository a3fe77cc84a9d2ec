"""Public facts are true: status from the dates, no registration for what is over, safe embeds."""

import datetime as dt
import html

import pytest
from django.utils import timezone

from tests.factories import AgreementFactory, EventFactory, VideoCapsuleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lapsed(infoem):
    return AgreementFactory(title="Convenio caducado", institutions=[infoem],
                            signed_on=timezone.localdate() - dt.timedelta(days=400),
                            valid_until=timezone.localdate() - dt.timedelta(days=2))


def test_agreement_past_its_end_date_reads_vencido_on_the_institution_page(client, lapsed):
    page = client.get("/instituciones/infoem/").content.decode()
    line = next(li for li in page.split("<li>") if "Convenio caducado" in li)
    assert "Vencido" in line and "Vigente" not in line


def test_agreement_past_its_end_date_reads_vencido_in_open_data(client, lapsed):
    row = next(r for r in client.get("/datos/convenios.json").json()["results"]
               if r["titulo"] == "Convenio caducado")
    assert row["estatus"] == "Vencido" and row["vencido"] is True
    csv_text = b"".join(client.get("/datos/convenios.csv").streaming_content).decode()
    line = next(x for x in csv_text.splitlines() if "Convenio caducado" in x)
    assert "Vencido" in line and "Vigente" not in line


def test_agreement_status_reads_the_same_in_the_admin(coordinator_client, lapsed):
    html_text = coordinator_client.get("/admin/snippets/network/agreement/").content.decode()
    row = html_text[html_text.index("Convenio caducado"):]
    row = row[:row.index("</tr>")]
    assert "Vencido" in row and "Vigente" not in row


def test_agreement_in_force_reads_vigente(client, infoem):
    AgreementFactory(title="Convenio al día", institutions=[infoem])
    row = next(r for r in client.get("/datos/convenios.json").json()["results"]
               if r["titulo"] == "Convenio al día")
    assert row["estatus"] == "Vigente" and row["vencido"] is False


def test_past_event_does_not_offer_registration(client, infoem):
    start = timezone.now() - dt.timedelta(days=2)
    past = EventFactory(title="Foro pasado", organizers=[infoem], starts_at=start,
                        registration_url="https://registro.example.org/foro")
    page = client.get(past.get_absolute_url()).content.decode()
    assert "Foro pasado" in page
    assert "Registrarse" not in page and "registro.example.org" not in page


def test_upcoming_event_offers_registration(client, infoem):
    future = EventFactory(organizers=[infoem], registration_url="https://registro.example.org/x")
    assert "Registrarse" in client.get(future.get_absolute_url()).content.decode()


def test_event_under_way_still_offers_registration(client, infoem):
    now = timezone.now()
    ongoing = EventFactory(organizers=[infoem], starts_at=now - dt.timedelta(hours=1),
                           ends_at=now + dt.timedelta(hours=1),
                           registration_url="https://registro.example.org/y")
    assert "Registrarse" in client.get(ongoing.get_absolute_url()).content.decode()


def test_capsule_title_with_quotes_cannot_inject_into_the_embed_code(client, infoem):
    capsule = VideoCapsuleFactory(institution=infoem,
                                  title='Hola" onload="alert(1)" x="<script>')
    page = client.get(capsule.get_absolute_url()).content.decode()
    start = page.index('<textarea id="embed-code"')
    textarea = page[page.index(">", start) + 1:page.index("</textarea>", start)]
    pasted = html.unescape(textarea)  # what a partner copies out of the text box
    assert pasted.startswith("<iframe ") and pasted.count('"') == 8  # src, width, height, title
    assert 'onload="' not in pasted and "<script>" not in pasted
    assert "title=\"Hola&quot; onload=&quot;alert(1)&quot; x=&quot;&lt;script&gt;\"" in pasted
