"""Entrants' accounts (django-allauth): sign-up that does not tell whether an e-mail address
already has an account.

allauth already answers both cases with the same page and one e-mail ("enumeration
prevention"), but creating an account hashes the password and the "you already have an
account" path did not, so the answer time told them apart (2 s against 0.1 s). This form
does the same hashing work on that path (``ACCOUNT_FORMS["signup"]``)."""

from __future__ import annotations

from allauth.account.forms import SignupForm as AllauthSignupForm
from django.contrib.auth.hashers import make_password


class SignupForm(AllauthSignupForm):
    def try_save(self, request):
        if self.account_already_exists:
            # What setting the new account's password would have cost.
            make_password(self.cleaned_data.get("password1") or "")
        return super().try_save(request)
