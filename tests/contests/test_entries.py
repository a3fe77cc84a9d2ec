"""The entrant's side: the wizard, files checked by content, receipts, idempotency and the
deadline enforced to the second."""

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from contests.domain import entries as domain
from contests.enums import AuditAction, EntryStatus
from contests.models import AuditEvent, Entry, EntryFile, Extension
from tests.contests.conftest import category, upload
from tests.contests.files_factory import mp3_bytes, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db


def private_files() -> list[Path]:
    root = Path(settings.STORAGES["contests"]["OPTIONS"]["location"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def start(client, call, code="SPOT", title="Tu voz cuenta", token="t-1"):
    return client.post(f"/concursos/convocatoria/{call.pk}/participar/", {
        "category": category(call, code).pk, "title": title, "client_token": token})


def test_entrant_starts_uploads_submits_and_gets_a_receipt_with_hashes(entrant_client, call, entrant,
                                                                        django_capture_on_commit_callbacks):
    response = start(entrant_client, call)
    entry = Entry.objects.get(owner=entrant)
    assert response.status_code == 302 and response["Location"] == entry.get_absolute_url()
    audio = mp3_bytes(20.0)
    response = upload(entrant_client, entry, "audio", audio, "mi spot final.mp3")
    assert response.status_code == 200, response.content
    assert response.json()["sha256"] == hashlib.sha256(audio).hexdigest()
    assert 19.5 < response.json()["duration"] < 20.5

    with django_capture_on_commit_callbacks() as jobs:
        response = entrant_client.post(f"/concursos/participacion/{entry.public_id}/enviar/")
    entry.refresh_from_db()
    assert response.status_code == 302
    assert entry.status == EntryStatus.SUBMITTED
    # The receipt e-mail is a job, queued once the entry is saved.
    assert not mail.outbox and len(jobs) == 1
    jobs[0]()
    assert entry.folio == f"SPOT-{call.year}-0001"
    page = entrant_client.get(response["Location"]).content.decode()
    assert entry.folio in page and hashlib.sha256(audio).hexdigest() in page
    assert len(mail.outbox) == 1
    receipt = mail.outbox[0]
    assert entry.folio in receipt.subject and hashlib.sha256(audio).hexdigest() in receipt.body
    assert receipt.to == [entrant.email]
    stored = EntryFile.objects.get(entry=entry)
    with stored.file.open("rb") as fh:
        assert hashlib.sha256(fh.read()).hexdigest() == stored.sha256
    assert stored.original_name == "mi spot final.mp3"


def test_a_double_click_or_retried_post_never_makes_two_entries_or_two_folios(entrant_client, call, entrant,
                                                                            django_capture_on_commit_callbacks):
    start(entrant_client, call, token="same")
    start(entrant_client, call, token="same")
    assert Entry.objects.filter(owner=entrant).count() == 1
    entry = Entry.objects.get(owner=entrant)
    upload(entrant_client, entry, "audio", mp3_bytes(5), "a.mp3")
    with django_capture_on_commit_callbacks(execute=True):
        first = entrant_client.post(f"/concursos/participacion/{entry.public_id}/enviar/",
                                    HTTP_ACCEPT="application/json")
        again = entrant_client.post(f"/concursos/participacion/{entry.public_id}/enviar/",
                                    HTTP_ACCEPT="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["folio"] == again.json()["folio"]
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action=AuditAction.SUBMITTED).count() == 1
    # A receipt that went astray can be asked for again; it changes nothing else.
    with django_capture_on_commit_callbacks(execute=True):
        entrant_client.post(f"/concursos/participacion/{entry.public_id}/acuse/reenviar/")
    assert len(mail.outbox) == 2 and first.json()["folio"] in mail.outbox[1].subject
    assert AuditEvent.objects.filter(action=AuditAction.SUBMITTED).count() == 1
    for _n in range(6):
        with django_capture_on_commit_callbacks(execute=True):
            response = entrant_client.post(f"/concursos/participacion/{entry.public_id}/acuse/reenviar/",
                                           follow=True)
    assert len(mail.outbox) == 6, "at most five re-sent receipts an hour"
    assert "varias veces en la última hora" in response.content.decode()


def test_changes_after_submission_need_a_new_receipt_but_keep_the_folio(entrant_client, call, entrant,
                                                                      django_capture_on_commit_callbacks):
    start(entrant_client, call)
    entry = Entry.objects.get(owner=entrant)
    upload(entrant_client, entry, "audio", mp3_bytes(5), "a.mp3")
    with django_capture_on_commit_callbacks(execute=True):
        entrant_client.post(f"/concursos/participacion/{entry.public_id}/enviar/")
    from contests.domain.blind import blind_copy

    blind_copy(EntryFile.objects.get(entry=entry))
    assert len(private_files()) == 2, "the original and its blind copy"
    newer = mp3_bytes(8)
    with django_capture_on_commit_callbacks(execute=True):
        upload(entrant_client, entry, "audio", newer, "b.mp3")
    entry.refresh_from_db()
    assert entry.has_unsent_changes
    assert len(private_files()) == 1, "the replaced file and its blind copy are deleted"
    with django_capture_on_commit_callbacks(execute=True):
        entrant_client.post(f"/concursos/participacion/{entry.public_id}/enviar/")
    entry.refresh_from_db()
    assert entry.folio == f"SPOT-{call.year}-0001" and not entry.has_unsent_changes
    assert len(mail.outbox) == 2 and hashlib.sha256(newer).hexdigest() in mail.outbox[1].body


@pytest.mark.parametrize("slot, content, name, code, message", [
    ("audio", b"Esto no es audio, es texto con extension mp3." * 40, "spot.mp3", "SPOT",
     "no es de un tipo aceptado"),
    ("audio", mp3_bytes(31.0), "largo.mp3", "SPOT", "El audio dura 31.0 segundos; el máximo es 30 segundos."),
    ("audio", pdf_bytes(1), "spot.mp3", "SPOT", "no es de un tipo aceptado"),
    ("pdf", pdf_bytes(3)[:-600], "ensayo.pdf", "ENS", "El PDF está dañado o incompleto"),
    ("pdf", pdf_bytes(1, javascript=True), "ensayo.pdf", "ENS", "contiene código"),
    ("pdf", mp3_bytes(3), "ensayo.pdf", "ENS", "no es de un tipo aceptado"),
    ("audio", b"", "vacio.mp3", "SPOT", "El archivo está vacío."),
])
def test_bad_files_are_refused_in_spanish_and_nothing_is_stored(entrant_client, call, entrant, slot,
                                                                 content, name, code, message):
    start(entrant_client, call, code=code)
    entry = Entry.objects.get(owner=entrant)
    response = upload(entrant_client, entry, slot, content, name)
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not EntryFile.objects.exists() and private_files() == []


def test_a_decompression_bomb_drawing_is_refused(client, call):
    from tests.contests.conftest import make_entrant

    child = make_entrant("nina", birth="2016-01-01", level="primaria")
    client.force_login(child)
    start(client, call, code="DIB", title="Mi dibujo")
    entry = Entry.objects.get(owner=child)
    response = upload(client, entry, "image", png_bytes(9000, 9000, mode="1"), "dibujo.png")
    assert response.status_code == 400 and "megapíxeles" in response.json()["error"]
    ok = upload(client, entry, "image", png_bytes(300, 200), "dibujo.png")
    assert ok.status_code == 200


def test_an_oversized_file_is_refused_with_its_size(entrant_client, call, entrant):
    start(entrant_client, call)
    entry = Entry.objects.get(owner=entrant)
    big = mp3_bytes(20) + b"\0" * (11 * 1024 * 1024)
    response = upload(entrant_client, entry, "audio", big, "grande.mp3")
    assert response.status_code == 400
    assert "máximo para esta categoría es 10 MB" in response.json()["error"]
    assert private_files() == []


def test_path_like_filenames_are_never_trusted(entrant_client, call, entrant):
    start(entrant_client, call)
    entry = Entry.objects.get(owner=entrant)
    upload(entrant_client, entry, "audio", mp3_bytes(3), "../../etc/passwd.mp3")
    stored = EntryFile.objects.get()
    assert stored.original_name == "passwd.mp3"
    assert ".." not in stored.file.name and "passwd" not in stored.file.name


def test_script_in_text_fields_is_refused_and_nothing_changes(entrant_client, call, entrant):
    response = start(entrant_client, call, title="<script>alert(1)</script>")
    assert response.status_code == 400
    assert "no se admiten etiquetas HTML" in response.content.decode()
    assert not Entry.objects.exists()
    start(entrant_client, call)
    entry = Entry.objects.get()
    response = entrant_client.post(entry.get_absolute_url(), {
        "title": "Bien", "summary": '<img src=x onerror="alert(1)">'})
    assert response.status_code == 400
    entry.refresh_from_db()
    assert entry.title == "Tu voz cuenta" and entry.summary == ""


def _ready_entry(client, call, entrant):
    start(client, call)
    entry = Entry.objects.get(owner=entrant)
    upload(client, entry, "audio", mp3_bytes(5), "a.mp3")
    return entry


def test_one_second_after_the_deadline_nothing_is_accepted(entrant_client, call, entrant):
    entry = _ready_entry(entrant_client, call, entrant)
    call.closes_at = timezone.now() - dt.timedelta(seconds=1)
    call.save()
    response = entrant_client.post(f"/concursos/participacion/{entry.public_id}/enviar/",
                                   HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and "cerró" in response.json()["error"]
    entry.refresh_from_db()
    assert entry.status == EntryStatus.DRAFT and entry.folio is None
    assert AuditEvent.objects.filter(action=AuditAction.LATE_REFUSED, entry=entry).exists()
    assert upload(entrant_client, entry, "audio", mp3_bytes(6), "b.mp3").status_code == 400
    assert start(entrant_client, call, token="late").status_code == 400


def test_a_documented_grace_period_and_an_individual_extension_are_honoured(entrant_client, call, entrant,
                                                                             other_entrant, coordinator):
    entry = _ready_entry(entrant_client, call, entrant)
    call.closes_at = timezone.now() - dt.timedelta(seconds=30)
    call.grace_minutes = 1
    call.save()
    assert domain.submit(entry)[0].status == EntryStatus.SUBMITTED
    call.grace_minutes = 0
    call.save()
    Extension.objects.create(call=call, entrant=other_entrant, until=timezone.now() + dt.timedelta(hours=1),
                             reason="Falla de luz documentada", granted_by=coordinator)
    assert call.is_open(user=other_entrant) and not call.is_open(user=entrant)


def test_withdrawing_before_the_deadline(entrant_client, call, entrant):
    entry = _ready_entry(entrant_client, call, entrant)
    entrant_client.post(f"/concursos/participacion/{entry.public_id}/enviar/")
    entrant_client.post(f"/concursos/participacion/{entry.public_id}/retirar/")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.WITHDRAWN
    assert AuditEvent.objects.filter(action=AuditAction.WITHDRAWN).exists()


def test_ineligible_categories_are_refused(client, call):
    from tests.contests.conftest import make_entrant

    pupil = make_entrant("pedro", birth="2014-02-02", level="primaria")
    client.force_login(pupil)
    response = start(client, call, code="SPOT")
    assert response.status_code == 400 and "Esta categoría es para" in response.content.decode()
    assert not Entry.objects.exists()
    no_consent = make_entrant("sofi", birth="2015-02-02", level="primaria", minor_consent=False)
    client.force_login(no_consent)
    response = start(client, call, code="DIB", title="Dibujo")
    assert response.status_code == 400 and "consentimiento" in response.content.decode()


def test_team_invitations(entrant_client, call, entrant, other_entrant):
    from django.test import Client

    client = Client()
    entry = _ready_entry(entrant_client, call, entrant)
    entrant_client.post(f"/concursos/participacion/{entry.public_id}/equipo/",
                        {"name": "Mario Pérez", "email": other_entrant.email})
    invitation = mail.outbox[-1]
    assert other_entrant.email in invitation.to
    coauthor = entry.coauthors.get()
    assert str(coauthor.token) in invitation.body
    client.force_login(other_entrant)
    assert client.get(entry.get_absolute_url()).status_code == 404
    client.post(f"/concursos/coautoria/{coauthor.token}/")
    assert client.get(entry.get_absolute_url()).status_code == 200
    # A co-author sees the entry but cannot change it.
    client.post(entry.get_absolute_url(), {"title": "Otro"})
    entry.refresh_from_db()
    assert entry.title == "Tu voz cuenta"
    for n in range(2):
        response = entrant_client.post(f"/concursos/participacion/{entry.public_id}/equipo/",
                                       {"name": f"Persona {n}", "email": f"p{n}@example.org"}, follow=True)
    assert entry.coauthors.count() == 2, "the spot category allows teams of three"
    assert "como máximo 3 integrantes" in response.content.decode()


def test_the_wizard_and_receipt_read_in_english_when_chosen(entrant_client, call, entrant):
    from django.conf import settings as django_settings

    entry = _ready_entry(entrant_client, call, entrant)
    entrant_client.post(f"/concursos/participacion/{entry.public_id}/enviar/")
    entrant_client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    page = entrant_client.get(entry.get_absolute_url()).content.decode()
    assert "Work details" in page and "Withdraw entry" in page and "Datos de la obra" not in page
    receipt = entrant_client.get(f"/concursos/participacion/{entry.public_id}/acuse/").content.decode()
    assert "Receipt" in receipt and "Acuse de recibo" not in receipt
    bad = upload(entrant_client, entry, "audio", b"not audio at all" * 50, "x.mp3")
    assert "is not of an accepted type (accepted: MP3, WAV)" in bad.json()["error"]


def test_the_team_address_opened_again_leads_back_to_the_entry(entrant_client, call, entrant):
    """An invitation with errors is answered at /equipo/: the language switch there (it returns
    to the same address) or a reload from the address bar opened an empty 405 page."""
    entry = _ready_entry(entrant_client, call, entrant)
    url = f"/concursos/participacion/{entry.public_id}/equipo/"
    response = entrant_client.post(url, {"name": "", "email": "no-es-correo"})
    assert response.status_code == 400
    answer = entrant_client.get(url)
    assert answer.status_code == 302 and answer["Location"] == entry.get_absolute_url()
    assert not entry.coauthors.exists()
    assert entrant_client.put(url).status_code == 405
