"""What staff and entrants cannot break: folios across calls, categories with entries, the
archive's copies, outcomes of disqualified entries, invitations, odd input."""

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from contests.domain import entries as domain
from contests.domain import results
from contests.models import Award, Category, DecisionEmail, Entry
from tests.contests.conftest import category, close, make_entrant, submitted_spot
from tests.contests.factories import CallFactory
from tests.contests.files_factory import mp3_bytes

pytestmark = pytest.mark.django_db


class FormScraper(HTMLParser):
    """The fields of the page editor's form as a browser would post them."""

    def __init__(self):
        super().__init__()
        self.data, self._textarea, self._select = {}, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.data.setdefault(name, []).append(a.get("value", "on"))
            else:
                self.data[name] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea, self.data[name] = name, ""
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def editor_data(client, call) -> dict:
    scraper = FormScraper()
    scraper.feed(client.get(f"/admin/pages/{call.pk}/edit/").content.decode())
    data = {k: v for k, v in scraper.data.items() if not k.startswith("csrf")}
    data["body-count"] = "0"  # the (empty) StreamField's count, written by Wagtail's JavaScript
    return data


def test_two_calls_of_one_year_never_share_a_folio(call, site):
    first = submitted_spot(call, "ana")
    again = CallFactory(edition=1)
    user = make_entrant("beto")
    entry, _ = domain.create_draft(user, category(again, "SPOT"), title="Otro spot")
    domain.store_file(entry, "audio", SimpleUploadedFile("a.mp3", mp3_bytes(3)))
    entry, _ = domain.submit(entry)
    assert first.folio.endswith("-0001") and entry.folio.endswith("-0002")


def test_the_page_editor_refuses_to_delete_a_category_with_entries(call, coordinator_client):
    submitted_spot(call, "ana")
    data = editor_data(coordinator_client, call)
    prefix = next(k[: -len("-code")] for k, v in data.items() if k.endswith("-code") and v == "SPOT")
    data[f"{prefix}-DELETE"] = "on"
    data["action-publish"] = "action-publish"
    response = coordinator_client.post(f"/admin/pages/{call.pk}/edit/", data)
    assert response.status_code == 200
    assert "tiene participaciones: no puede eliminarse" in response.content.decode()
    assert Category.objects.filter(call=call, code="SPOT").exists()
    # Ordinary edits still publish.
    data = editor_data(coordinator_client, call)
    data["intro"] = "Bases actualizadas."
    data["action-publish"] = "action-publish"
    response = coordinator_client.post(f"/admin/pages/{call.pk}/edit/", data)
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.intro == "Bases actualizadas."
    # And the call cannot be deleted while it has entries.
    response = coordinator_client.post(f"/admin/pages/{call.pk}/delete/")
    assert response.status_code == 302 and type(call).objects.filter(pk=call.pk).exists()


def test_the_archive_serves_anonymised_copies_named_by_folio(call):
    winner = submitted_spot(call, "ana", artist="Ana Perez Autora")
    results.set_award(winner, 1)
    call.closes_at = timezone.now() - dt.timedelta(days=2)
    call.results_at = timezone.now() - dt.timedelta(hours=1)
    call.save()
    results.publish_results(call)
    response = Client().get(f"/acervo/{winner.folio}/audio/?descargar=1")
    body = b"".join(response.streaming_content)
    close(response)
    assert response.status_code == 200 and b"Ana Perez Autora" not in body
    assert f'filename="{winner.folio}.mp3"' in response["Content-Disposition"]


def test_a_disqualified_winner_loses_award_and_unsent_notice(call, coordinator_client):
    winner = submitted_spot(call, "ana")
    other = submitted_spot(call, "beto")
    results.set_award(winner, 1)
    call.closes_at = timezone.now() - dt.timedelta(days=1)
    call.save()
    results.publish_results(call)
    coordinator_client.post(f"/admin/concursos/participacion/{winner.pk}/estado/", {"reason": "Plagio"})
    assert not Award.objects.exists() and not DecisionEmail.objects.filter(entry=winner).exists()
    results.set_award(other, 1)  # the place is free again
    assert Award.objects.get().entry == other


def test_only_the_invited_address_accepts_a_team_invitation(entrant_client, call, entrant, other_entrant):
    from contests.domain.teams import invite

    entry, _ = domain.create_draft(entrant, category(call, "SPOT"), title="Spot")
    coauthor = invite(entry, "Alguien", "alguien@example.org")
    intruder = Client()
    intruder.force_login(other_entrant)
    response = intruder.post(f"/concursos/coautoria/{coauthor.token}/")
    assert response.status_code == 400 and "alguien@example.org" in response.content.decode()
    coauthor.refresh_from_db()
    assert coauthor.accepted_at is None
    assert intruder.get(entry.get_absolute_url()).status_code == 404


def test_a_submitted_entry_cannot_be_left_without_its_file(entrant_client, call, entrant):
    entry = submitted_spot(call, "ana")
    client = Client()
    client.force_login(entry.owner)
    response = client.post(f"/concursos/participacion/{entry.public_id}/archivo/audio/quitar/", follow=True)
    assert "puede reemplazarlo" in response.content.decode()
    assert entry.files.count() == 1


@pytest.mark.parametrize("url", ["/acervo/?anio=%C2%B2", "/acervo/?tipo=<x>&q=" + "a" * 500,
                                 "/acervo/NO-EXISTE/", "/concursos/convocatoria/999999/participar/"])
def test_odd_public_input_never_errors(client, call, entrant, url):
    client.force_login(entrant)
    assert client.get(url).status_code in (200, 404)


def test_odd_staff_and_entrant_input_never_errors(call, coordinator, entrant):
    entrant_client, coordinator_client = Client(), Client()
    entrant_client.force_login(entrant)
    coordinator_client.force_login(coordinator)
    profile = {"full_name": "X", "birth_date": "2000-01-01", "state": "JAL",
               "education_level": "licenciatura", "accept_privacy": "on"}
    response = entrant_client.post("/concursos/perfil/?next=foo", profile)
    assert response.status_code == 302 and response["Location"] == "/concursos/mis-participaciones/"
    for data in ({"action": "remove_juror", "pk": "abc"}, {"action": "bulk", "category": "²"},
                 {"action": "unassign"}, {"action": "assign", "folio": "x", "email": "y"}):
        assert coordinator_client.post(f"/admin/concursos/{call.pk}/jurado/", data).status_code == 302
    assert coordinator_client.get(f"/admin/concursos/{call.pk}/participaciones/?categoria=%C2%B2"
                                  ).status_code == 200
    assert coordinator_client.post(f"/admin/concursos/{call.pk}/deliberacion/",
                                   {"place-abc": "1", "place-999": "99999999999"}).status_code == 302
    assert coordinator_client.post(f"/admin/concursos/{call.pk}/resultados/",
                                   {"action": "publish"}).status_code == 302
    assert not type(call).objects.get(pk=call.pk).results_published_at, "still open: not published"
    assert Entry.objects.count() == 0


def test_files_of_withdrawn_entries_and_stale_drafts_are_purged(call, settings):
    from contests.domain.retention import purge_unneeded_files
    from contests.enums import EntryStatus

    kept = submitted_spot(call, "ana")
    withdrawn = submitted_spot(call, "beto")
    domain.withdraw(withdrawn)
    draft, _ = domain.create_draft(make_entrant("caro"), category(call, "SPOT"), title="Borrador")
    domain.store_file(draft, "audio", SimpleUploadedFile("a.mp3", mp3_bytes(3)))
    later = timezone.now() + dt.timedelta(days=settings.ENLACE_CONTEST_RETENTION_DAYS + 1)
    assert purge_unneeded_files(now=later) == 1, "the draft's call is still open"
    type(call).objects.filter(pk=call.pk).update(closes_at=timezone.now() - dt.timedelta(days=1))
    assert purge_unneeded_files(now=later) == 1
    assert kept.files.count() == 1 and not withdrawn.files.exists() and not draft.files.exists()
    assert Entry.objects.get(pk=withdrawn.pk).status == EntryStatus.WITHDRAWN
