"""Every contests screen attacked with every role and every id, and fuzzed with hostile input:
only the people who need a screen get it, nothing changes for the others, and nothing
answers 500 (run on SQLite and on PostgreSQL)."""

import pytest
from django.test import Client

from contests.models import Assignment, AuditEvent, Entry, Extension, Review
from network import rules
from tests.contests.conftest import category, close
from tests.contests.factories import (
    AssignmentFactory,
    CallFactory,
    EntrantFactory,
    EntryFactory,
    JurorFactory,
    ProfileFactory,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(site, officer, coordinator):
    call = CallFactory(phase="in_review")
    spot = category(call, "SPOT")
    entry = EntryFactory(category=spot)
    juror = AssignmentFactory(entry=entry).juror
    people = {
        "anonymous": None,
        "entrant": ProfileFactory().user,
        "unverified": ProfileFactory(user=EntrantFactory(verified=False)).user,
        "juror": juror,
        "other_juror": JurorFactory(),
        "officer": officer,
        "editorial": UserFactory(username="comite", groups=[rules.EDITORIAL]),
        "coordinator": coordinator,
    }
    return {"call": call, "entry": entry, "people": people}


def client_for(user):
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def admin_urls(call_id, entry_id):
    return {
        "calls": "/admin/concursos/",
        "dashboard": f"/admin/concursos/{call_id}/",
        "entries": f"/admin/concursos/{call_id}/participaciones/",
        "entry": f"/admin/concursos/participacion/{entry_id}/",
        "jury": f"/admin/concursos/{call_id}/jurado/",
        "deliberation": f"/admin/concursos/{call_id}/deliberacion/",
        "results": f"/admin/concursos/{call_id}/resultados/",
        "audit": f"/admin/concursos/{call_id}/bitacora/",
        "export-entries": f"/admin/concursos/{call_id}/exportar/participaciones.csv",
        "export-reviews": f"/admin/concursos/{call_id}/exportar/evaluaciones.xlsx",
    }


STATS = {"calls", "dashboard"}


@pytest.mark.parametrize("role", ["anonymous", "entrant", "unverified", "juror", "other_juror", "officer",
                                  "editorial", "coordinator"])
def test_each_role_reaches_exactly_the_admin_screens_it_needs(world, role):
    user = world["people"][role]
    client = client_for(user)
    for name, url in admin_urls(world["call"].pk, world["entry"].pk).items():
        response = client.get(url)
        close(response)
        if role == "coordinator" or (role == "officer" and name in STATS):
            assert response.status_code == 200, (role, name)
        else:
            assert response.status_code in (302, 403, 404), (role, name, response.status_code)
            assert response.status_code == 302 or b"@example.org" not in response.content


@pytest.mark.parametrize("role", ["anonymous", "entrant", "juror", "officer", "editorial"])
def test_no_role_but_staff_changes_anything_by_posting(world, role):
    call, entry = world["call"], world["entry"]
    client = client_for(world["people"][role])
    assignment = Assignment.objects.get()
    posts = [
        (f"/admin/concursos/{call.pk}/jurado/", {"action": "unassign", "pk": assignment.pk}),
        (f"/admin/concursos/{call.pk}/jurado/", {"action": "balance"}),
        (f"/admin/concursos/{call.pk}/jurado/", {"action": "add_juror", "email": "x@example.org",
                                                 "category": entry.category_id}),
        (f"/admin/concursos/participacion/{entry.pk}/estado/", {"reason": "Plagio"}),
        (f"/admin/concursos/{call.pk}/prorroga/", {"entrant_email": entry.owner.email,
                                                   "until": "2099-01-01T10:00", "reason": "x"}),
        (f"/admin/concursos/{call.pk}/deliberacion/", {f"place-{entry.pk}": "1"}),
        (f"/admin/concursos/{call.pk}/resultados/", {"action": "publish"}),
    ]
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code in (302, 403, 404), (role, url)
    entry.refresh_from_db()
    assert entry.status == "enviada" and Assignment.objects.count() == 1
    assert not Extension.objects.exists() and not AuditEvent.objects.exists()
    assert not hasattr(entry, "award") or not Entry.objects.filter(award__isnull=False).exists()


def test_every_id_of_another_persons_work_is_closed(world):
    entry, juror = world["entry"], world["people"]["juror"]
    stranger, other_juror = world["people"]["entrant"], world["people"]["other_juror"]
    for user in (stranger, other_juror, world["people"]["officer"]):
        client = client_for(user)
        for url in (entry.get_absolute_url(), f"/concursos/participacion/{entry.public_id}/acuse/",
                    f"/jurado/obra/{entry.public_id}/"):
            assert client.get(url).status_code in (403, 404), (user, url)
        assert client.post(f"/concursos/participacion/{entry.public_id}/retirar/").status_code in (403, 404)
    own = client_for(juror)
    assert own.get(f"/jurado/obra/{entry.public_id}/").status_code == 200
    assert own.get(entry.get_absolute_url()).status_code in (403, 404), "jurors never see the entrant's page"
    entry.refresh_from_db()
    assert entry.status == "enviada" and not Review.objects.exists()


def test_staff_who_enrolled_a_second_factor_see_no_entrant_data_before_giving_it(world, coordinator):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=coordinator, name="teléfono", confirmed=True)
    client = client_for(coordinator)  # signed in with the password only
    call, entry = world["call"], world["entry"]
    response = client.get(f"/jurado/deliberacion/{call.pk}/")
    assert response.status_code == 302 and "/2fa/" in response["Location"]  # asked for the code
    for url in admin_urls(call.pk, entry.pk).values():
        response = client.get(url)
        assert response.status_code in (302, 403), url


HOSTILE = ["0", "-1", "99999999999999999999", str(2**63), str(2**63 - 1), "%00", "a%00b", "'", '"',
           "%22%27", "١٢٣", "１２", "1e9", "x" * 3000, "%F0%9F%92%A9", "..%2F..%2Fetc", "<script>",
           "NaN", " 1", "1;DROP TABLE x"]


def public_and_entrant_urls(call, entry, value):
    return [
        f"/concursos/convocatoria/{value}/participar/",
        f"/concursos/participacion/{value}/",
        f"/concursos/archivo/{value}/",
        f"/jurado/archivo/{value}/",
        f"/jurado/obra/{value}/",
        f"/jurado/deliberacion/{value}/",
        f"/acervo/{value}/",
        f"/acervo/{value}/audio/",
        f"/acervo/?q={value}&tipo={value}&anio={value}&pagina={value}",
        f"/concursos/coautoria/{value}/",
        f"/admin/concursos/{value}/",
        f"/admin/concursos/{call.pk}/participaciones/?estado={value}&categoria={value}",
        f"/admin/concursos/participacion/{value}/",
        f"/admin/concursos/{call.pk}/exportar/{value}.csv",
    ]


@pytest.mark.parametrize("role", ["anonymous", "entrant", "juror", "coordinator"])
def test_hostile_ids_and_parameters_never_answer_500(world, role):
    call, entry = world["call"], world["entry"]
    client = client_for(world["people"][role])
    for value in HOSTILE:
        for url in public_and_entrant_urls(call, entry, value):
            response = client.get(url)
            close(response)
            assert response.status_code < 500, (role, url, response.status_code)


@pytest.mark.parametrize("role", ["entrant", "juror", "coordinator"])
def test_hostile_form_posts_never_answer_500(world, role):
    call, entry = world["call"], world["entry"]
    client = client_for(world["people"][role])
    assignment = Assignment.objects.get()
    for value in HOSTILE:
        for url, data in (
            (f"/concursos/convocatoria/{call.pk}/participar/",
             {"category": value, "title": value, "client_token": value}),
            ("/concursos/perfil/", {"full_name": value, "birth_date": value, "state": value,
                                    "education_level": value, "school": value, "phone": value}),
            (f"/jurado/obra/{entry.public_id}/", {f"c{c.pk}": value for c in call.criteria.all()}
             | {"comment": value}),
            (f"/jurado/obra/{entry.public_id}/conflicto/", {"reason": value}),
            (f"/admin/concursos/{call.pk}/jurado/", {"action": value, "pk": value, "category": value,
                                                     "email": value, "folio": value}),
            (f"/admin/concursos/{call.pk}/jurado/", {"action": "unassign", "pk": value}),
            (f"/admin/concursos/{call.pk}/deliberacion/", {f"place-{value}": value,
                                                           f"place-{entry.pk}": value}),
            (f"/admin/concursos/{call.pk}/resultados/", {"action": "save", "pk": value, "subject": value,
                                                         "body": value}),
            (f"/admin/concursos/{call.pk}/prorroga/", {"entrant_email": value, "until": value,
                                                       "reason": value}),
            (f"/admin/concursos/participacion/{entry.pk}/estado/", {"reason": value}),
        ):
            response = client.post(url, data)
            assert response.status_code < 500, (role, url, value[:20], response.status_code)
    if role == "entrant":
        assert Assignment.objects.filter(pk=assignment.pk).exists() and not Review.objects.exists()
