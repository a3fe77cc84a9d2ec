"""A ready-made campaign post for an archived work: officers pick channels and publish."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from campaigns.shareable import draft_post


def draft_post_for(entry, user):
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("contests:archive_item", args=[entry.folio])
    text = _("%(award)s del %(call)s: «%(title)s». Úsalo libremente en tus campañas (%(license)s).") % {
        "award": entry.award.label, "call": entry.call.title, "title": entry.title,
        "license": entry.call.license}
    return draft_post(user, title=entry.title, text=text, link=link)
