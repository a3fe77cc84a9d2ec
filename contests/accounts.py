"""Entrants' accounts (django-allauth).

Sign-up that does not tell whether an e-mail address already has an account: allauth already
answers both cases with the same page and one e-mail ("enumeration prevention"), but creating
an account hashes the password and the "you already have an account" path did not, so the
answer time told them apart (2 s against 0.1 s). ``SignupForm`` does the same hashing work on
that path (``ACCOUNT_FORMS["signup"]``).

The way back to the call: *Participar* sends a newcomer to sign up with ``next`` pointing at
that call's wizard. allauth keeps ``next`` in the session, which is lost when the
confirmation link is opened in another browser (the phone's mail app), so ``AccountAdapter``
also writes it into the link as ``?continuar=`` and reads it back after the confirmation.
Only paths on this site are carried either way."""

from __future__ import annotations

from urllib.parse import urlencode

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import SignupForm as AllauthSignupForm
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

CONTINUE = "continuar"


class SignupForm(AllauthSignupForm):
    def try_save(self, request):
        if self.account_already_exists:
            # What setting the new account's password would have cost.
            make_password(self.cleaned_data.get("password1") or "")
        return super().try_save(request)


def user_display(user) -> str:
    """How the account pages name a person: the e-mail they sign in with."""
    return user.email or user.get_username()


def local_path(value) -> str | None:
    """``value`` when it is a path on this site ("/concursos/…"), else ``None``: no scheme, no
    host, no "//" or "/\\" that a browser would read as another host, no control characters."""
    if not isinstance(value, str) or not value.startswith("/") or len(value) > 500:
        return None
    if value.startswith(("//", "/\\")) or any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return None
    return value if url_has_allowed_host_and_scheme(value, allowed_hosts=None) else None


def _param(request, name: str) -> str | None:
    if request is None:
        return None
    return local_path(request.POST.get(name) or request.GET.get(name))


class AccountAdapter(DefaultAccountAdapter):
    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        url = super().get_email_confirmation_url(request, emailconfirmation)
        target = _param(request, "next")
        return f"{url}?{urlencode({CONTINUE: target})}" if target else url

    def get_email_verification_redirect_url(self, email_address) -> str:
        target = _param(self.request, CONTINUE)
        if target is None:
            return super().get_email_verification_redirect_url(email_address)
        if self.request.user.is_authenticated:
            return target
        # Confirmed from another browser: signed out there, so sign in and go on.
        return f"{reverse('account_login')}?{urlencode({'next': target})}"
