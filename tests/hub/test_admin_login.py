"""The admin's sign-in is for staff; entrants and jurors use their verified e-mail."""

import pytest
from allauth.account.models import EmailAddress

from network import rules
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "clave-de-prueba-123"


def _admin_login(client, username):
    return client.post("/admin/login/", {"username": username, "password": PASSWORD})


def test_unverified_entrant_cannot_sign_in_through_the_admin_login(client):
    entrant = UserFactory(username="ana.perez", email="ana.perez@example.org", is_staff=False)
    EmailAddress.objects.create(user=entrant, email=entrant.email, verified=False, primary=True)
    response = _admin_login(client, "ana.perez")
    assert response.status_code == 200
    assert "solo para el personal" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # and so cannot reach the entrant's area either
    assert client.get("/concursos/mis-participaciones/").status_code == 302


def test_juror_signs_in_with_email_not_through_the_admin(client):
    UserFactory(username="jurado-uno", is_staff=False, groups=[rules.JURY])
    response = _admin_login(client, "jurado-uno")
    assert "solo para el personal" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("group", [rules.COORDINATION, rules.COMMUNICATIONS, rules.EDITORIAL])
def test_staff_groups_sign_in(client, group):
    UserFactory(username="persona-staff", is_staff=False, groups=[group])
    response = _admin_login(client, "persona-staff")
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_wrong_password_message_is_unchanged(client):
    UserFactory(username="alguien", is_staff=False)
    response = client.post("/admin/login/", {"username": "alguien", "password": "otra"})
    assert "solo para el personal" not in response.content.decode()


def test_the_password_field_is_labelled_in_the_visitors_language(client):
    """Wagtail's sign-in form gives the password field no label, so Django showed the field's
    name, «Password», on the Spanish sign-in page every member of the staff starts from."""
    import re

    def label(html):
        return re.search(r'id="id_password-label">\s*([^<]+?)\s*<', html).group(1)

    assert label(client.get("/admin/login/").content.decode()) == "Contraseña"
    client.cookies["django_language"] = "en"
    assert label(client.get("/admin/login/").content.decode()) == "Password"


def test_a_juror_refused_here_gets_a_link_to_the_accounts_sign_in(client):
    UserFactory(username="jurado-dos", is_staff=False, groups=[rules.JURY])
    html = _admin_login(client, "jurado-dos").content.decode()
    assert 'href="/cuentas/login/"' in html


def test_the_sign_in_page_names_enlace_not_the_cms_underneath(client):
    """«Iniciar sesión en Wagtail»: officers know the product as Enlace."""
    html = client.get("/admin/login/").content.decode()
    assert "Iniciar sesión en Enlace" in html and "Iniciar sesión en Wagtail" not in html
    client.cookies["django_language"] = "en"
    assert "Sign in to Enlace" in client.get("/admin/login/").content.decode()
