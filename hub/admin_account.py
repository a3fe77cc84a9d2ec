"""Wagtail's account page, with its «settings changed» message in the language just chosen.

Wagtail words that message under the account's preferred language, but reads the preference
before the form saves it: a person who chose English was told so in Spanish (and the other way
round), on the page that was already in the new language.
"""

from __future__ import annotations

from django.contrib import messages
from django.utils.translation import gettext as _
from django.utils.translation import override
from wagtail.admin import messages as wagtail_messages
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.account import AccountView as WagtailAccountView
from wagtail.users.models import UserProfile

# Wagtail's own msgid (wagtail/admin/views/account.py), translated in each catalogue.
SAVED = "Your account settings have been changed successfully!"


class AccountView(WagtailAccountView):
    def post(self, request):
        before = UserProfile.get_for_user(request.user).get_preferred_language()
        response = super().post(request)
        after = UserProfile.get_for_user(request.user).get_preferred_language()
        if response.status_code == 302 and after != before:
            with override(before):
                worded_before = wagtail_messages.render(_(SAVED), None)
            with override(after):
                worded_after = wagtail_messages.render(_(SAVED), None)
            stored = messages.get_messages(request)
            for message in stored:
                if message.message == worded_before:
                    message.message = worded_after
            stored.used = False  # read here only to reword: still shown on the next page
        return response


account = require_admin_access(AccountView.as_view())
