"""The jury (blind, balanced, conflicts), scoring, results, open data and the archive."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from contests.domain import jury, results
from contests.domain.errors import ContestError
from contests.enums import AuditAction
from contests.models import Assignment, AuditEvent, Award, Entry, Review
from tests.contests.conftest import category, close, open_jury, submitted_spot

pytestmark = pytest.mark.django_db


def status(client, url) -> int:
    """The status of a GET, closing a streamed file response."""
    response = client.get(url)
    close(response)
    return response.status_code


def score(entry, juror, values, abstained=False):
    criteria = list(entry.call.criteria.all())
    scores = {str(c.pk): v for c, v in zip(criteria, values, strict=False)}
    return jury.save_review(entry, juror, scores=scores, comment="", abstained=abstained)


def test_balanced_assignment_spreads_the_load_and_skips_conflicts(call, jurors):
    entries = [submitted_spot(call, f"p{n}") for n in range(6)]
    open_jury(call)
    made = jury.assign_balanced(call)
    assert made == 12  # 6 entries x 2 reviews
    loads = sorted(Assignment.objects.filter(juror=j).count() for j in jurors)
    assert loads == [4, 4, 4]
    assert jury.assign_balanced(call) == 0, "running it again only fills gaps"

    entry = entries[0]
    conflicted = entry.assignments.first().juror
    jury.declare_conflict(entry, conflicted, "Es mi alumna")
    assigned = set(entry.assignments.values_list("juror_id", flat=True))
    assert conflicted.pk not in assigned and len(assigned) == 2
    assert AuditEvent.objects.filter(action=AuditAction.CONFLICT, entry=entry).exists()
    with pytest.raises(ContestError):
        jury.assign(entry, conflicted)


def test_jurors_see_only_assigned_entries_without_identity(call, jurors):
    entry = submitted_spot(call, "lucia", artist="Lucia Perez Artista")
    other = submitted_spot(call, "mario")
    open_jury(call)
    juror = jurors[0]
    jury.assign(entry, juror)
    client = Client()
    client.force_login(juror)
    page = client.get(f"/jurado/obra/{entry.public_id}/").content.decode()
    profile = entry.owner.entrant_profile
    assert entry.title in page
    for secret in (profile.full_name, entry.owner.email, profile.school, entry.folio):
        assert secret not in page
    assert client.get(f"/jurado/obra/{other.public_id}/").status_code == 404
    stored = entry.files.get()
    download = client.get(f"/jurado/archivo/{stored.pk}/")
    body = b"".join(download.streaming_content)
    close(download)
    assert download.status_code == 200 and b"Lucia Perez Artista" not in body
    assert entry.anonymous_code in download["Content-Disposition"]
    assert "spot.mp3" not in download["Content-Disposition"]
    assert client.get(f"/jurado/archivo/{other.files.get().pk}/").status_code == 404
    # The original, with its tags, is only for the entrant and authorised staff.
    assert client.get(f"/concursos/archivo/{stored.pk}/").status_code == 404


def test_reviews_weighted_means_normalisation_and_ties(call, jurors):
    a, b, c = (submitted_spot(call, n) for n in ("ana", "beto", "caro"))
    open_jury(call)
    j1, j2, _ = jurors
    for entry in (a, b, c):
        jury.assign(entry, j1)
        jury.assign(entry, j2)
    # Rubric weights 2,2,1,1,1 on 0-10. j1 is generous, j2 strict.
    score(a, j1, [10, 10, 10, 10, 10])
    score(a, j2, [6, 6, 6, 6, 6])
    score(b, j1, [9, 9, 9, 9, 9])
    score(b, j2, [7, 7, 7, 7, 7])
    score(c, j1, [8, 8, 8, 8, 8])
    score(c, j2, [5, 5, 5, 5, 5], abstained=True)
    rows = {r.entry.pk: r for r in results.ranking(call)[category(call, "SPOT")]}
    assert rows[a.pk].score == 80.0 and rows[b.pk].score == 80.0
    assert rows[a.pk].tied and rows[b.pk].tied and rows[a.pk].rank == rows[b.pk].rank == 1
    assert rows[c.pk].score == 80.0 and rows[c.pk].abstentions == 1
    # Weighted: 10 on the two heavy criteria and 0 elsewhere is 4/7 of the maximum.
    score(c, j1, [10, 10, 0, 0, 0])
    assert results.ranking(call)[category(call, "SPOT")][-1].score == pytest.approx(57.14, abs=0.01)

    call.normalize_scores = True
    call.save()
    rows = {r.entry.pk: r for r in results.ranking(call)[category(call, "SPOT")]}
    assert rows[b.pk].normalized > rows[a.pk].normalized, "b is best relative to each juror's scale"


def test_archived_work_is_shared_as_a_draft_post(call, coordinator, officer, client, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://enlace.example.org"
    winner = submitted_spot(call, "ana")
    results.set_award(winner, 1)
    call.closes_at = timezone.now() - dt.timedelta(days=2)
    call.results_at = timezone.now() - dt.timedelta(days=1)
    call.save()
    results.publish_results(call)
    client.force_login(officer)
    response = client.post(f"/acervo/{winner.folio}/compartir/")
    from campaigns.models import Post

    post = Post.objects.get()
    assert response.status_code == 302 and str(post.pk) in response["Location"]
    assert not post.live and post.institution == officer.staff_profile.institution
    assert f"/acervo/{winner.folio}/" in post.link and winner.title in post.text


def test_staff_screens_and_exports(call, jurors, coordinator_client, coordinator):
    entry = submitted_spot(call, "ana")
    Entry.objects.filter(pk=entry.pk).update(title="=HYPERLINK(\"http://x\")")
    open_jury(call)
    jury.assign(entry, jurors[0])
    score(entry, jurors[0], [7, 7, 7, 7, 7])
    dashboard = coordinator_client.get(f"/admin/concursos/{call.pk}/").content.decode()
    assert "Jalisco" in dashboard and "<rect" in dashboard
    listing = coordinator_client.get(f"/admin/concursos/{call.pk}/participaciones/").content.decode()
    assert entry.folio in listing and entry.owner.email in listing
    csv = coordinator_client.get(f"/admin/concursos/{call.pk}/exportar/participaciones.csv").content.decode()
    assert "'=HYPERLINK" in csv and entry.owner.email in csv
    xlsx = coordinator_client.get(f"/admin/concursos/{call.pk}/exportar/evaluaciones.xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.values)
    assert rows[1][0] == entry.folio and rows[1][2] == jurors[0].email and rows[1][-3] == 70

    response = coordinator_client.post(f"/admin/concursos/participacion/{entry.pk}/estado/",
                                       {"reason": "Plagio comprobado"})
    entry.refresh_from_db()
    assert response.status_code == 302 and entry.status == "descalificada"
    assert Review.objects.filter(entry=entry).exists()
    audit = coordinator_client.get(f"/admin/concursos/{call.pk}/bitacora/").content.decode()
    assert "Plagio comprobado" in audit

    too_late = coordinator_client.post(f"/admin/concursos/{call.pk}/prorroga/", {
        "entrant_email": entry.owner.email, "until": "2099-01-01T10:00", "reason": "Falla eléctrica"},
        follow=True)
    assert "antes de que empiece la evaluación" in too_late.content.decode()
    assert not call.extensions.exists()
    until = timezone.localtime(call.deadline + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    coordinator_client.post(f"/admin/concursos/{call.pk}/prorroga/", {
        "entrant_email": entry.owner.email, "until": until, "reason": "Falla eléctrica"})
    assert call.extensions.get().reason == "Falla eléctrica"
    assert AuditEvent.objects.filter(action=AuditAction.EXTENSION).exists()
    assert Award.objects.count() == 0


def test_per_role_access(call, officer_client, entrant, other_entrant, jurors):
    entry = submitted_spot(call, "ana")
    stored = entry.files.get()
    # Officers: aggregate dashboard only.
    assert officer_client.get(f"/admin/concursos/{call.pk}/").status_code == 200
    for url in (f"/admin/concursos/{call.pk}/participaciones/", f"/admin/concursos/{call.pk}/jurado/",
                f"/admin/concursos/participacion/{entry.pk}/",
                f"/admin/concursos/{call.pk}/exportar/participaciones.csv"):
        assert officer_client.get(url).status_code in (302, 403), url
    assert officer_client.get(f"/concursos/archivo/{stored.pk}/").status_code == 404
    # Another entrant sees neither the entry, its receipt nor its file.
    other = Client()
    other.force_login(other_entrant)
    for url in (entry.get_absolute_url(), f"/concursos/participacion/{entry.public_id}/acuse/",
                f"/concursos/archivo/{stored.pk}/"):
        assert other.get(url).status_code == 404, url
    # Anonymous visitors are sent to sign in; jurors cannot reach the admin.
    assert Client().get(entry.get_absolute_url()).status_code == 302
    juror = Client()
    juror.force_login(jurors[0])
    assert juror.get(f"/admin/concursos/{call.pk}/").status_code in (302, 403)
    owner = Client()
    owner.force_login(entry.owner)
    assert status(owner, f"/concursos/archivo/{stored.pk}/") == 200


def test_staff_create_a_call_in_the_page_editor(call, coordinator_client):
    series = call.get_parent()
    add = coordinator_client.get(f"/admin/pages/add/contests/contestcallpage/{series.pk}/")
    page = add.content.decode()
    assert add.status_code == 200 and 'value="licenciatura"' in page and "Rúbrica" in page
    edit = coordinator_client.get(f"/admin/pages/{call.pk}/edit/").content.decode()
    import re

    checked = re.findall(r'name="categories-(\d+)-education_levels" value="(\w+)"[^>]*checked', edit)
    assert ("0", "licenciatura") in checked and ("0", "primaria") not in checked
    dashboard = coordinator_client.get("/admin/concursos/").content.decode()
    assert call.title in dashboard


def test_publishing_a_call_shares_it_with_its_deadline(call, coordinator, infoem):
    from campaigns.models import Post
    from tests.campaigns.conftest import make_channel

    channel = make_channel("x", infoem)
    call.share_channels.set([channel])
    call.save_revision(user=coordinator).publish(user=coordinator)
    post = Post.objects.get()
    closes = timezone.localtime(call.closes_at).strftime("%d/%m/%Y %H:%M")
    assert post.source_page_id == call.pk and post.link == call.full_url
    assert post.text.startswith(call.title) and closes in post.text


def test_the_jury_president_deliberates_on_an_anonymous_ranking(call, jurors):
    entry = submitted_spot(call, "ana")
    president, other = jurors[0], jurors[1]
    call.jury_president = president
    call.save()
    client = Client()
    client.force_login(president)
    page = client.get(f"/jurado/deliberacion/{call.pk}/").content.decode()
    assert entry.anonymous_code in page and entry.folio not in page
    assert entry.owner.entrant_profile.full_name not in page
    client.force_login(other)
    assert client.get(f"/jurado/deliberacion/{call.pk}/").status_code == 403


def test_staff_invite_a_new_juror_who_sets_a_password_and_bulk_assign(call, coordinator_client,
                                                                      django_capture_on_commit_callbacks):
    entries = [submitted_spot(call, n) for n in ("ana", "beto")]
    open_jury(call)
    spot = category(call, "SPOT")
    response = coordinator_client.post(f"/admin/concursos/{call.pk}/jurado/", {
        "action": "add_juror", "category": spot.pk, "email": "Experta@Radio.org"})
    assert response.status_code == 302
    invitation = mail.outbox[-1]
    assert invitation.to == ["experta@radio.org"]
    link = [w for w in invitation.body.split() if "/cuentas/password/reset/key/" in w][0]
    client = Client()
    form = client.get(link.replace("http://testserver", ""), follow=True)
    set_password_url = form.redirect_chain[-1][0]
    assert form.status_code == 200 and "set-password" in set_password_url
    client.post(set_password_url, {"password1": "jurado-seguro-2026", "password2": "jurado-seguro-2026"})
    from django.contrib.auth import get_user_model

    juror = get_user_model().objects.get(email="experta@radio.org")
    assert juror.check_password("jurado-seguro-2026") and not juror.is_staff
    assert spot.jurors.filter(juror=juror).exists() and juror.groups.filter(name="Jurado").exists()
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(f"/admin/concursos/{call.pk}/jurado/",
                                {"action": "bulk", "category": spot.pk})
    assert sorted(Assignment.objects.values_list("entry_id", flat=True)) == sorted(e.pk for e in entries)
    # Assigning the jury makes the blind copies at once, so jurors never wait for them.
    from contests.models import EntryFile

    assert all(f.blind_file for f in EntryFile.objects.filter(entry__in=entries))


def test_a_conflict_declared_after_the_call_reopened_is_recorded_without_an_error(call, jurors):
    entry = submitted_spot(call, "reabierta")
    open_jury(call)
    jury.assign_balanced(call)
    conflicted = entry.assignments.first().juror
    call.closes_at = timezone.now() + dt.timedelta(days=2)  # staff extended the deadline
    call.save()
    jury.declare_conflict(entry, conflicted, "Es mi sobrina")
    assert not entry.assignments.filter(juror=conflicted).exists()
    assert AuditEvent.objects.filter(action=AuditAction.CONFLICT, entry=entry).exists()
