"""Entrants' accounts: sign-up with e-mail verification (django-allauth) and the profile."""

import re

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.test import Client

from contests.models import EntrantProfile

pytestmark = pytest.mark.django_db


def test_sign_up_verify_email_and_fill_the_profile(site, call):
    client = Client()
    password = "una-clave-larga-2026"
    response = client.post("/cuentas/signup/", {
        "email": "nueva@example.org", "password1": password, "password2": password})
    assert response.status_code == 302
    assert mail.outbox[0].to == ["nueva@example.org"] and "confirm" in mail.outbox[0].subject.lower()
    # Not verified yet: the wizard is closed.
    assert client.get("/concursos/mis-participaciones/").status_code == 302
    link = re.search(r"http://\S+/cuentas/confirm-email/\S+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[1]
    assert client.get(path).status_code == 200
    response = client.post(path)
    assert response.status_code == 302
    assert client.get("/concursos/mis-participaciones/").status_code == 200

    response = client.post("/concursos/perfil/", {
        "full_name": "Nueva Persona", "birth_date": "2000-02-02", "state": "OAX",
        "education_level": "licenciatura", "school": "UABJO"})
    assert response.status_code == 200 and "aceptar el aviso de privacidad" in response.content.decode()
    assert not EntrantProfile.objects.exists()
    client.post("/concursos/perfil/", {
        "full_name": "Nueva Persona", "birth_date": "2000-02-02", "state": "OAX",
        "education_level": "licenciatura", "school": "UABJO", "accept_privacy": "on"})
    profile = EntrantProfile.objects.get()
    assert profile.privacy_accepted_at and not profile.is_minor


def test_minors_need_their_guardians_consent(entrant_client, entrant):
    EntrantProfile.objects.filter(user=entrant).delete()
    data = {"full_name": "Niña Pérez", "birth_date": "2015-05-05", "state": "YUC",
            "education_level": "primaria", "school": "Primaria Benito Juárez", "accept_privacy": "on"}
    response = entrant_client.post("/concursos/perfil/", data)
    page = response.content.decode()
    assert response.status_code == 200 and "consentimiento de su madre, padre o tutor" in page
    assert not EntrantProfile.objects.filter(user=entrant).exists()
    entrant_client.post("/concursos/perfil/", {**data, "guardian_name": "Rosa Pérez",
                                               "guardian_relationship": "madre",
                                               "guardian_email": "rosa@example.org",
                                               "guardian_consent": "on"})
    profile = EntrantProfile.objects.get(user=entrant)
    assert profile.is_minor and profile.guardian_consent_at and profile.guardian_name == "Rosa Pérez"
    [notice] = mail.outbox
    assert notice.to == ["rosa@example.org"] and "Niña Pérez" in notice.body


class CountingHasher(MD5PasswordHasher):
    """The test hasher, counting how many passwords it hashed."""

    algorithm = "counting_md5"
    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


def sign_up(email: str):
    password = "una-clave-larga-2026"
    return Client().post("/cuentas/signup/", {"email": email, "password1": password,
                                              "password2": password})


def test_sign_up_does_the_same_work_for_a_known_and_a_new_email(site, settings):
    from tests.contests.factories import EntrantFactory

    settings.PASSWORD_HASHERS = ["tests.contests.test_accounts.CountingHasher"]
    EntrantFactory(username="conocida", email="conocida@example.org")

    answers, work = [], []
    for email in ("conocida@example.org", "nueva@example.org"):
        before = CountingHasher.calls
        response = sign_up(email)
        answers.append((response.status_code, response.get("Location")))
        work.append(CountingHasher.calls - before)
    assert answers[0] == answers[1], "the same answer whether the address is known or not"
    assert work[0] == work[1] >= 1, "the same password hashing on both paths"
    assert [m.to for m in mail.outbox] == [["conocida@example.org"], ["nueva@example.org"]]


def test_an_unconfirmed_account_cannot_start_or_submit_entries(site, call, client):
    from contests.domain import entries
    from contests.domain.errors import ContestError
    from tests.contests.factories import ProfileFactory

    profile = ProfileFactory(user__verified=False)
    client.force_login(profile.user)  # e.g. through a login form that does not ask for it
    for url in ("/concursos/mis-participaciones/", f"/concursos/convocatoria/{call.pk}/participar/"):
        response = client.get(url)
        assert response.status_code == 403 and "confirme su correo" in response.content.decode()
    posted = client.post(f"/concursos/convocatoria/{call.pk}/participar/", {
        "category": call.categories.get(code="SPOT").pk, "title": "Mi spot", "client_token": "abc"})
    assert posted.status_code == 403
    with pytest.raises(ContestError, match="confirme su correo"):
        entries.create_draft(profile.user, call.categories.get(code="SPOT"), title="Mi spot")
    from contests.models import Entry

    assert not Entry.objects.exists()


def test_the_confirmation_email_speaks_as_usted_and_as_enlace(site):
    """It was allauth's default: «¡Hola de parte de 127.0.0.1:8301!», «el usuario estudiante1
    ha facilitado tu dirección», «vete a …»: a host for a name, a user name the entrant never
    chose (they sign in with the e-mail) and «tú» instead of «usted»."""
    client = Client()
    password = "una-clave-larga-2026"
    client.post("/cuentas/signup/?next=/concursos/", {
        "email": "estudiante@example.org", "password1": password, "password2": password,
        "next": "/concursos/"})
    [message] = mail.outbox
    body = message.body
    assert "Enlace SNT" in body and "testserver" not in body.split("http://", 1)[0]
    assert "confirm-email/" in body
    for informal in ("vete", "tu dirección", "Estás", "Hola de parte"):
        assert informal not in body, informal
    assert "usuario" not in body
    assert "estudiante@example.org" in body


def test_a_guardian_who_did_not_consent_can_reach_a_person(site, entrant_client, entrant):
    """The guardian's notice said «si usted no dio este consentimiento, responda a este
    correo», sent from no-responder@…: the objection went to an address nobody reads. The
    notice names the site's contact address and a reply goes there."""
    EntrantProfile.objects.filter(user=entrant).delete()
    entrant_client.post("/concursos/perfil/", {
        "full_name": "Niña Pérez", "birth_date": "2015-05-05", "state": "YUC",
        "education_level": "primaria", "school": "Primaria", "accept_privacy": "on",
        "guardian_name": "Rosa Pérez", "guardian_relationship": "madre",
        "guardian_email": "rosa@example.org", "guardian_consent": "on"})
    [notice] = mail.outbox
    assert notice.reply_to == ["vinculacion@snt.org.mx"]
    assert "vinculacion@snt.org.mx" in notice.body


def test_signing_in_names_the_entrant_by_the_email_they_use(site):
    """«Ha iniciado sesión exitosamente como estudiante1.»: a user name made up from the
    e-mail, which the entrant never chose nor uses (they sign in with the e-mail)."""
    from tests.contests.conftest import make_entrant

    user = make_entrant("estudiante1")
    user.set_password("una-clave-larga-2026")
    user.save()
    client = Client()
    response = client.post("/cuentas/login/", {"login": user.email,
                                               "password": "una-clave-larga-2026"}, follow=True)
    said = [str(m) for m in response.context["messages"]]
    assert any(user.email in m for m in said), said
    assert not any(f"como {user.username}." in m for m in said), said
