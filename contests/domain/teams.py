"""Teams: the lead entrant invites co-authors by e-mail."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from contests.models import CoAuthor

from .entries import EntryError, ensure_editable, mark_changed


def invite(entry, name: str, email: str) -> CoAuthor:
    ensure_editable(entry)
    if entry.coauthors.count() + 1 >= entry.category.max_team_size:
        if entry.category.max_team_size == 1:
            raise EntryError(_("Esta categoría es solo de participación individual."), code="team")
        raise EntryError(_("El equipo puede tener como máximo %(n)s integrantes.")
                         % {"n": entry.category.max_team_size}, code="team")
    if email.lower() == (entry.owner.email or "").lower():
        raise EntryError(_("Usted ya es la persona responsable de esta obra."), code="team")
    try:
        with transaction.atomic():
            coauthor = CoAuthor.objects.create(entry=entry, name=name.strip(), email=email.lower())
    except IntegrityError:
        raise EntryError(_("Esa persona ya fue invitada."), code="team") from None
    mark_changed(entry)
    link = settings.WAGTAILADMIN_BASE_URL + reverse("contests:accept_invitation", args=[coauthor.token])
    context = {"coauthor": coauthor, "entry": entry, "link": link}
    send_mail(_("Invitación a participar como coautor(a) en %(call)s") % {"call": entry.call.title},
              render_to_string("contests/email/invitation.txt", context),
              None, [coauthor.email])
    return coauthor
