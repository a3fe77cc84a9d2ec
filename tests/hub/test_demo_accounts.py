"""The demo staff accounts can use their own account page (language, theme, password)."""

import io

import pytest
from django.contrib.auth import get_user_model
from wagtail.users.models import UserProfile

from hub.management.commands.bootstrap import DEMO_USERS, Command

pytestmark = pytest.mark.django_db


def _account_form(user, **changes) -> dict:
    data = {"name_email-first_name": user.first_name, "name_email-last_name": user.last_name,
            "name_email-email": user.email, "locale-preferred_language": "",
            "theme-theme": "system", "theme-contrast": "system", "theme-density": "default",
            "theme-keyboard_shortcuts": "on"}
    data.update(changes)
    return data


@pytest.mark.parametrize("username", [u for u, group, *_ in DEMO_USERS if u != "jurado"])
def test_a_demo_officer_can_switch_the_admin_to_english_from_the_account_page(
        client, reference_data, username):
    """«Apellidos» is required on Wagtail's account page and the demo accounts had none: a
    newcomer who chose English under Cuenta got «Este campo es necesario» on a field they
    never touched, and nothing was saved."""
    Command(stdout=io.StringIO())._demo_accounts("enlace-demo-2026")
    user = get_user_model().objects.get(username=username)
    full_name = user.get_full_name()
    assert full_name == dict((u, d) for u, _g, _a, d in DEMO_USERS)[username]  # shown as before
    client.force_login(user)
    response = client.post("/admin/account/", _account_form(user, **{"locale-preferred_language": "en"}))
    assert response.status_code == 302, response.content.decode()[:2000]
    user.wagtail_userprofile.refresh_from_db()
    assert user.wagtail_userprofile.preferred_language == "en"


def test_the_language_choice_spells_mexico_with_its_accent(admin_client):
    """Django names es-mx «español de Mexico»; the account page's language list showed it so."""
    html = admin_client.get("/admin/account/").content.decode()
    assert "español de México" in html and "de Mexico" not in html


@pytest.mark.parametrize(("before", "after", "expected"), [
    ("", "en", "Your account settings have been changed successfully!"),
    ("en", "es-mx", "¡La configuración de su cuenta se cambió correctamente!"),
])
def test_the_account_saved_message_speaks_the_language_just_chosen(
        client, reference_data, before, after, expected):
    """Wagtail words «settings changed» in the account's language before the change (it reads
    the profile before saving it): choosing English answered in Spanish, and back."""
    Command(stdout=io.StringIO())._demo_accounts("enlace-demo-2026")
    user = get_user_model().objects.get(username="comunicacion")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = before
    profile.save()
    client.force_login(user)
    response = client.post("/admin/account/", _account_form(
        user, **{"locale-preferred_language": after}), follow=True)
    assert [str(m).strip() for m in response.context["messages"]] == [expected]


def test_the_account_page_still_asks_a_visitor_to_sign_in(client):
    response = client.get("/admin/account/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
