"""What entrants type cannot mislead readers, break exports or make the site send mail for
them at will."""

import io

import pytest
from django.core import mail

from contests.models import EntrantProfile, Entry
from tests.contests.conftest import category

pytestmark = pytest.mark.django_db

ESCAPES = ["Mi spot\x1b[2J\x1b[31m", "Título\x00nulo", "foto\u202egpj.exe", "campana\x07", "tab\x0bvertical"]


def start(client, call, *, title="Tu voz cuenta", token="t-1"):
    return client.post(f"/concursos/convocatoria/{call.pk}/participar/", {
        "category": category(call, "SPOT").pk, "title": title, "client_token": token})


@pytest.mark.parametrize("title", ESCAPES)
def test_control_characters_in_a_title_are_refused_in_spanish(entrant_client, call, title):
    response = start(entrant_client, call, title=title)
    assert response.status_code == 400
    assert "caracteres de control invisibles" in response.content.decode()
    assert not Entry.objects.exists()


def test_control_characters_in_the_summary_are_refused_and_nothing_changes(entrant_client, call, entrant):
    start(entrant_client, call)
    entry = Entry.objects.get()
    response = entrant_client.post(entry.get_absolute_url(), {
        "title": "Bien", "summary": "Línea uno\nLínea dos\x1b]0;hola\x07"})
    assert response.status_code == 400 and "caracteres de control" in response.content.decode()
    entry.refresh_from_db()
    assert entry.title == "Tu voz cuenta" and entry.summary == ""
    ok = entrant_client.post(entry.get_absolute_url(), {"title": "Bien", "summary": "Línea uno\r\nLínea dos"})
    assert ok.status_code == 302, "line breaks are text"


def test_control_characters_in_the_school_are_refused(entrant_client, entrant):
    profile = EntrantProfile.objects.get(user=entrant)
    response = entrant_client.post("/concursos/perfil/", {
        "full_name": profile.full_name, "birth_date": "2000-02-02", "state": "OAX",
        "education_level": "licenciatura", "school": "UNAM\x1b[31m", "accept_privacy": "on"})
    assert response.status_code == 200 and "caracteres de control" in response.content.decode()
    profile.refresh_from_db()
    assert profile.school == "Universidad de Guadalajara"


def test_exports_survive_control_characters_stored_before_they_were_refused(call, entrant,
                                                                           coordinator_client):
    from openpyxl import load_workbook

    from tests.contests.factories import EntryFactory

    entry = EntryFactory(category=category(call, "SPOT"), owner=entrant, title="=1+1\x1b[2J")
    # Stored as an old row would be (no NUL: PostgreSQL refuses it in any case).
    EntrantProfile.objects.filter(user=entrant).update(school="Escuela\x07\x1b[31m")
    for what in ("participaciones", "evaluaciones"):
        for fmt in ("csv", "xlsx"):
            response = coordinator_client.get(f"/admin/concursos/{call.pk}/exportar/{what}.{fmt}")
            assert response.status_code == 200, (what, fmt)
    xlsx = coordinator_client.get(f"/admin/concursos/{call.pk}/exportar/participaciones.xlsx")
    row = list(load_workbook(io.BytesIO(xlsx.content)).active.values)[1]
    assert row[0] == entry.folio and row[3] == "'=1+1[2J" and "Escuela[31m" in row


def test_a_tampered_hidden_field_gets_a_clear_spanish_page_and_a_working_form(entrant_client, call):
    response = start(entrant_client, call, token="x' OR 1=1 --" + "a" * 80)
    page = response.content.decode()
    assert response.status_code == 400
    assert "El formulario llegó incompleto o alterado" in page
    assert not Entry.objects.exists()
    import re

    fresh = re.search(r'name="client_token" value="([^"]+)"', page).group(1)
    assert re.fullmatch(r"[0-9a-f]{32}", fresh)
    assert start(entrant_client, call, token=fresh).status_code == 302


def test_invitations_are_rate_limited_per_recipient_and_keep_entrant_text_out_of_subjects(
        entrant_client, call, entrant):
    from tests.contests.factories import EntryFactory, ProfileFactory

    entry = EntryFactory(category=category(call, "SPOT"), owner=entrant, title="Compre ya: http://spam")
    category(call, "SPOT").__class__.objects.filter(pk=entry.category_id).update(max_team_size=10)
    target = "victima@example.org"
    for n in range(3):
        entrant_client.post(f"/concursos/participacion/{entry.public_id}/equipo/",
                            {"name": f"Oferta {n} http://spam", "email": target})
        entry.coauthors.all().delete()
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        assert "spam" not in message.subject and "Oferta" not in message.subject
    # A fourth message to the same address today is refused, from this account or another one.
    other = ProfileFactory().user
    other_entry = EntryFactory(category=entry.category, owner=other)
    from django.test import Client

    client = Client()
    client.force_login(other)
    response = client.post(f"/concursos/participacion/{other_entry.public_id}/equipo/",
                           {"name": "Otra", "email": target}, follow=True)
    assert "demasiadas invitaciones" in response.content.decode().lower()
    assert len(mail.outbox) == 3 and not other_entry.coauthors.exists()


def test_guardian_notices_are_rate_limited(entrant_client, entrant):
    data = {"full_name": "Niña Pérez", "birth_date": "2015-05-05", "state": "YUC",
            "education_level": "primaria", "school": "Primaria", "accept_privacy": "on",
            "guardian_name": "Sr. Spam", "guardian_relationship": "tutor",
            "guardian_email": "victima@example.org"}
    for _n in range(6):
        entrant_client.post("/concursos/perfil/", {**data, "guardian_consent": "on"})
        # Back to an adult birth date (which clears the consent), to have it recorded again.
        entrant_client.post("/concursos/perfil/", {**data, "birth_date": "2000-01-01"})
    assert len(mail.outbox) == 3
    assert all("Spam" not in m.subject for m in mail.outbox)
    # Left as an adult: no guardian's data is kept.
    assert EntrantProfile.objects.get(user=entrant).guardian_email == ""


def test_private_files_and_folders_are_readable_by_their_owner_only(entrant_client, call, entrant):
    import os
    import stat
    from pathlib import Path

    from django.conf import settings

    from contests.domain.blind import blind_copy
    from contests.models import EntryFile
    from tests.contests.conftest import upload
    from tests.contests.files_factory import mp3_bytes

    start(entrant_client, call)
    entry = Entry.objects.get()
    assert upload(entrant_client, entry, "audio", mp3_bytes(3), "a.mp3").status_code == 200
    stored = EntryFile.objects.get()
    root = Path(settings.STORAGES["contests"]["OPTIONS"]["location"])
    blind = blind_copy(stored)
    for name in (stored.file.name, blind.name):
        path = root / name
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, name
        folder = path.parent
        while folder != root.parent:
            assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700, folder
            folder = folder.parent
