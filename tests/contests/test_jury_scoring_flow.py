"""The juror's scoring experience: one work after another («Obra 2 de 3», previous, next, next
unscored), the jury deadline with the time left, the weighted total, a read-only form once
scoring closed, the conflict of interest as a step of its own, and the list with progress."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from contests.enums import AuditAction
from contests.models import Assignment, AuditEvent, Conflict, Review, local_midnight
from contests.text import closing_in_words
from tests.contests.factories import AssignmentFactory, CallFactory, EntryFactory, JurorFactory, ReviewFactory

pytestmark = pytest.mark.django_db


def spot(call):
    return call.categories.get(code="SPOT")


def scores_of(call, values):
    return {f"c{c.pk}": v for c, v in zip(call.criteria.all(), values, strict=True)}


def juror_client(juror) -> Client:
    client = Client()
    client.force_login(juror)
    return client


@pytest.fixture
def queue(site):
    """A juror with three spots and one essay of a call in its jury phase, and another juror
    with a spot of their own; entries are listed in their stable order (by public id)."""
    call = CallFactory(phase="in_review")
    juror, other = JurorFactory(), JurorFactory()
    spots = sorted((EntryFactory(category=spot(call)) for _ in range(3)), key=lambda e: str(e.public_id))
    for entry in spots:
        AssignmentFactory(entry=entry, juror=juror)
    essay = EntryFactory(category=call.categories.get(code="ENS"))
    AssignmentFactory(entry=essay, juror=juror)
    foreign = EntryFactory(category=spot(call))
    AssignmentFactory(entry=foreign, juror=other)
    return {"call": call, "juror": juror, "other": other, "spots": spots, "essay": essay,
            "foreign": foreign, "client": juror_client(juror)}


def page_of(client, entry):
    response = client.get(f"/jurado/obra/{entry.public_id}/")
    assert response.status_code == 200
    return response.content.decode()


def test_each_work_says_where_it_is_among_the_jurors_works_of_its_category(queue):
    first, second, third = queue["spots"]
    client = queue["client"]
    middle = page_of(client, second)
    assert "Obra 2 de 3" in middle  # the other juror's spot and the essay are not counted
    assert f'rel="prev" href="/jurado/obra/{first.public_id}/"' in middle
    assert f'rel="next" href="/jurado/obra/{third.public_id}/"' in middle
    assert "Siguiente sin calificar" in middle
    assert 'rel="prev"' not in page_of(client, first)
    assert 'rel="next"' not in page_of(client, third)
    assert "Obra 1 de 1" in page_of(client, queue["essay"])


def test_saving_goes_on_to_the_next_unscored_work_and_says_so(queue):
    call, juror, client = queue["call"], queue["juror"], queue["client"]
    first, second, third = queue["spots"]
    ReviewFactory(entry=second, juror=juror)  # already scored: skipped
    response = client.post(f"/jurado/obra/{first.public_id}/", scores_of(call, [8, 8, 8, 8, 8]),
                           follow=True)
    assert response.redirect_chain[-1][0] == f"/jurado/obra/{third.public_id}/"
    page = response.content.decode()
    assert f"Evaluación de {first.anonymous_code} guardada. Sigue {third.anonymous_code}" in page
    assert "Obra 3 de 3" in page
    assert Review.objects.get(entry=first, juror=juror).scores == {
        k[1:]: v for k, v in scores_of(call, [8, 8, 8, 8, 8]).items()}

    response = client.post(f"/jurado/obra/{third.public_id}/", scores_of(call, [5, 5, 5, 5, 5]),
                           follow=True)
    assert response.redirect_chain[-1][0] == "/jurado/"
    assert "Ya calificó todas sus obras de esta categoría" in response.content.decode()
    assert Review.objects.filter(juror=juror).count() == 3


def test_the_deadline_reads_in_mexico_city_time_with_the_time_left():
    end = local_midnight(dt.date(2026, 12, 11))  # the jury's last day is 10 December
    assert closing_in_words(end, end - dt.timedelta(days=5, minutes=1)) == (
        "cierra el 10 de diciembre a las 23:59, en 5 días")
    assert closing_in_words(end, end - dt.timedelta(days=1, hours=3)).endswith(", en 1 día")
    assert closing_in_words(end, end - dt.timedelta(hours=2, minutes=5)).endswith(", en 2 horas")
    assert closing_in_words(end, end - dt.timedelta(minutes=1, seconds=30)).endswith(", en 1 minuto")
    assert closing_in_words(end, end - dt.timedelta(days=400)) == (
        "cierra el 10 de diciembre de 2026 a las 23:59, en 400 días")


def test_the_work_page_shows_when_scoring_closes(queue):
    call = queue["call"]
    page = page_of(queue["client"], queue["spots"][0])
    last_day = call.jury_ends_on
    left = (local_midnight(last_day + dt.timedelta(days=1)) - timezone.now()).days
    assert f"La evaluación cierra el {last_day.day} de " in page
    assert f"a las 23:59, en {left} días" in page and "hora del centro de México" in page


def test_after_the_deadline_the_scores_are_read_only_and_a_post_changes_nothing(site):
    call = CallFactory(phase="in_review")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    type(call).objects.filter(pk=call.pk).update(jury_starts_on=yesterday, jury_ends_on=yesterday)
    entry = EntryFactory(category=spot(call))
    review = ReviewFactory(entry=entry)
    client = juror_client(review.juror)
    page = page_of(client, entry)
    assert "La evaluación terminó el" in page and "solo para consulta" in page
    field = re.search(r'<input[^>]*name="c\d+"[^>]*>', page).group(0)
    assert "disabled" in field and 'value="7"' in field
    assert "Guardar" not in page and "Declarar un conflicto" not in page
    response = client.post(f"/jurado/obra/{entry.public_id}/", scores_of(call, [1, 1, 1, 1, 1]))
    assert response.status_code == 400
    review.refresh_from_db()
    assert set(review.scores.values()) == {7}


def test_the_weighted_total_is_shown_and_the_page_gives_the_script_its_weights(queue):
    call, juror, entry = queue["call"], queue["juror"], queue["spots"][0]
    page = page_of(queue["client"], entry)
    assert re.search(r"<output data-total[^>]*>—</output>", page), "nothing scored yet"
    # The rubric weighs 2, 2, 1, 1, 1: ten on the two heavy criteria and zero elsewhere is 4/7.
    ReviewFactory(entry=entry, juror=juror, scores={str(c.pk): v for c, v in
                                                    zip(call.criteria.all(), [10, 10, 0, 0, 0], strict=True)})
    page = page_of(queue["client"], entry)
    assert re.search(r"<output data-total[^>]*>57.1</output>", page)
    weights = re.search(r'<script id="jury-weights" type="application/json">(.*?)</script>', page).group(1)
    first = call.criteria.first()
    assert f'"field": "id_c{first.pk}", "weight": 2.0, "min": 0, "max": 10' in weights
    # Criteria come with their description and range.
    assert "de 0 a 10; peso 2" in page


@pytest.mark.parametrize("bad, message", [
    ("11", "menor o igual a 10"), ("-1", "mayor o igual a 0"), ("%00", "número entero"),
    ("ocho", "número entero"), ("", "Califique este criterio"), ("7.5", "número entero"),
])
def test_bad_scores_get_a_spanish_error_beside_the_field_and_nothing_is_saved(queue, bad, message):
    call, entry = queue["call"], queue["spots"][0]
    data = scores_of(call, [bad, 8, 8, 8, 8])
    response = queue["client"].post(f"/jurado/obra/{entry.public_id}/", data)
    assert response.status_code == 400
    page = response.content.decode()
    first = call.criteria.first()
    field = re.search(rf'<div class="field has-error">\s*<label for="id_c{first.pk}">.*?</div>', page, re.S)
    assert field and message in field.group(0)
    assert page.count("has-error") == 1
    assert not Review.objects.exists()


def test_the_conflict_is_a_step_of_its_own_recorded_once_and_seen_by_the_coordinator(
        queue, coordinator_client):
    juror, client, entry = queue["juror"], queue["client"], queue["spots"][0]
    assert f"/jurado/obra/{entry.public_id}/conflicto/" in page_of(client, entry)
    step = client.get(f"/jurado/obra/{entry.public_id}/conflicto/").content.decode()
    assert 'name="reason"' in step and not re.search(r'name="c\d+"', step), "no scoring form here"

    url = f"/jurado/obra/{entry.public_id}/conflicto/"
    response = client.post(url, {"reason": "Fue mi alumna el semestre pasado"}, follow=True)
    assert response.redirect_chain[-1][0] == "/jurado/"
    listing = response.content.decode()
    assert "Conflicto de interés registrado" in listing
    assert f'href="/jurado/obra/{entry.public_id}/"' not in listing, "the work left the list"
    again = client.post(url, {"reason": "Fue mi alumna el semestre pasado"}, follow=True)  # double submit
    assert again.status_code == 200 and "ya no está en su lista" in again.content.decode()
    assert Conflict.objects.filter(entry=entry, juror=juror).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.CONFLICT, entry=entry).count() == 1
    assert not Assignment.objects.filter(entry=entry, juror=juror).exists()
    # The scoring form never comes back for that work.
    response = client.get(f"/jurado/obra/{entry.public_id}/")
    assert response.status_code == 302 and response["Location"] == "/jurado/"
    before = Review.objects.count()
    client.post(f"/jurado/obra/{entry.public_id}/", scores_of(queue["call"], [9, 9, 9, 9, 9]))
    assert Review.objects.count() == before
    screen = coordinator_client.get(f"/admin/concursos/{queue['call'].pk}/jurado/").content.decode()
    assert "Fue mi alumna el semestre pasado" in screen and juror.email in screen


def test_a_conflict_without_a_reason_asks_for_one_and_records_nothing(queue):
    entry = queue["spots"][0]
    response = queue["client"].post(f"/jurado/obra/{entry.public_id}/conflicto/", {"reason": "  "})
    assert response.status_code == 400 and "Este campo es necesario" in response.content.decode()
    assert not Conflict.objects.exists() and Assignment.objects.filter(entry=entry).exists()


def test_the_list_shows_progress_filters_and_a_stable_order(queue):
    juror, client = queue["juror"], queue["client"]
    first, second, third = queue["spots"]
    ReviewFactory(entry=second, juror=juror)
    page = client.get("/jurado/").content.decode()
    assert "Ha calificado 1 de 4 obras." in page
    assert '<progress id="progress-' in page and 'max="3" value="1"' in page
    codes = [e.anonymous_code for e in queue["spots"]]
    assert [page.index(c) for c in codes] == sorted(page.index(c) for c in codes)
    assert queue["foreign"].anonymous_code not in page
    assert f'href="/jurado/obra/{first.public_id}/">Calificar la siguiente pendiente' in page

    pending = client.get("/jurado/?estado=pendientes").content.decode()
    assert first.anonymous_code in pending and third.anonymous_code in pending
    assert f'<td><a href="/jurado/obra/{second.public_id}/"' not in pending
    scored = client.get("/jurado/?estado=calificadas").content.decode()
    assert f'<td><a href="/jurado/obra/{second.public_id}/"' in scored
    assert f'<td><a href="/jurado/obra/{first.public_id}/"' not in scored
    for junk in ("x" * 500, "9999", "Pendientes"):
        response = client.get(f"/jurado/?estado={junk}")
        assert response.status_code == 200 and second.anonymous_code in response.content.decode()
    assert client.get("/jurado/?estado=%00").status_code == 400  # refused by the site, not a 500


def test_another_jurors_work_or_an_unassigned_one_is_closed_and_nothing_changes(queue):
    client, call = queue["client"], queue["call"]
    unassigned = EntryFactory(category=call.categories.get(code="VID"))
    elsewhere = EntryFactory(category=spot(CallFactory(phase="in_review")))
    for entry in (queue["foreign"], unassigned, elsewhere):
        for url in (f"/jurado/obra/{entry.public_id}/", f"/jurado/obra/{entry.public_id}/conflicto/"):
            assert client.get(url).status_code == 404
        assert client.post(f"/jurado/obra/{entry.public_id}/",
                           scores_of(call, [9, 9, 9, 9, 9])).status_code == 404
        assert client.post(f"/jurado/obra/{entry.public_id}/conflicto/",
                           {"reason": "intento"}).status_code == 404
    assert not Review.objects.exists() and not Conflict.objects.exists()
    assert Assignment.objects.filter(entry=queue["foreign"], juror=queue["other"]).exists()
    mine = queue["spots"][0]
    for method in ("put", "delete", "patch"):
        assert getattr(client, method)(f"/jurado/obra/{mine.public_id}/").status_code == 405


def test_the_jurors_screens_never_show_who_made_the_work(queue):
    client, entry = queue["client"], queue["spots"][0]
    profile = entry.owner.entrant_profile
    for url in ("/jurado/", f"/jurado/obra/{entry.public_id}/", f"/jurado/obra/{entry.public_id}/conflicto/"):
        page = client.get(url).content.decode()
        assert entry.anonymous_code in page
        for secret in (profile.full_name, entry.owner.email, entry.owner.username, entry.folio):
            assert secret not in page, (url, secret)


def test_the_list_is_paginated_and_its_progress_counts_every_work(queue, monkeypatch):
    """10,000 works on one juror were one page: the list shows a page at a time, the progress
    and «the next pending» still count all of them, and the filter stays from page to page."""
    from contests.views import jury

    monkeypatch.setattr(jury, "PER_PAGE", 2)
    juror, client = queue["juror"], queue["client"]
    first, second, third = queue["spots"]
    ReviewFactory(entry=second, juror=juror)
    one = client.get("/jurado/").content.decode()
    two = client.get("/jurado/?pagina=2").content.decode()
    for page in (one, two):
        assert "Ha calificado 1 de 4 obras." in page and 'max="3" value="1"' in page
        assert f'href="/jurado/obra/{first.public_id}/">Calificar la siguiente pendiente' in page
        assert "Página" in page
    assert first.anonymous_code in one and second.anonymous_code in one
    assert third.anonymous_code not in one and queue["essay"].anonymous_code not in one
    assert third.anonymous_code in two and queue["essay"].anonymous_code in two
    assert first.anonymous_code not in two.split("Calificar la siguiente")[-1]
    assert "están en otras páginas" in one  # the essay's category, listed on page 2
    pending = client.get("/jurado/?estado=pendientes").content.decode()
    assert first.anonymous_code in pending and third.anonymous_code in pending
    assert "estado=pendientes&amp;pagina=2" in pending or "pagina=2&amp;estado=pendientes" in pending
    for junk in ("99", "x", "-1"):
        assert client.get(f"/jurado/?pagina={junk}").status_code == 200


def test_the_list_takes_as_many_queries_for_12_works_as_for_2(site):
    from tests.queries import queries_of_get

    call = CallFactory(phase="in_review")
    juror = JurorFactory()
    client = juror_client(juror)

    def works(n):
        for _ in range(n):
            entry = EntryFactory(category=spot(call))
            AssignmentFactory(entry=entry, juror=juror)

    works(2)
    queries_of_get(client, "/jurado/")
    few = queries_of_get(client, "/jurado/")
    works(10)
    assert queries_of_get(client, "/jurado/") == few
