"""Teams: the lead entrant invites co-authors by e-mail."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from contests.models import CoAuthor

from . import notices
from .entries import ensure_editable, mark_changed
from .errors import ContestError


def invite(entry, name: str, email: str) -> CoAuthor:
    ensure_editable(entry)
    if entry.coauthors.count() + 1 >= entry.category.max_team_size:
        if entry.category.max_team_size == 1:
            raise ContestError(_("Esta categoría es solo de participación individual."), code="team")
        raise ContestError(_("El equipo puede tener como máximo %(n)s integrantes.")
                         % {"n": entry.category.max_team_size}, code="team")
    if email.lower() == (entry.owner.email or "").lower():
        raise ContestError(_("Usted ya es la persona responsable de esta obra."), code="team")
    if entry.coauthors.filter(email__iexact=email).exists():
        raise ContestError(_("Esa persona ya fue invitada."), code="team")
    notices.ensure_invitation_allowed(entry.owner, email)
    try:
        with transaction.atomic():
            coauthor = CoAuthor.objects.create(entry=entry, name=name.strip(), email=email.lower())
    except IntegrityError:
        raise ContestError(_("Esa persona ya fue invitada."), code="team") from None
    mark_changed(entry)
    link = settings.WAGTAILADMIN_BASE_URL + reverse("contests:accept_invitation", args=[coauthor.token])
    notices.send_invitation(coauthor, entry, link)
    return coauthor


def accept(coauthor, user) -> None:
    """Only the invited address may accept, while the entry can still change."""
    from allauth.account.models import EmailAddress

    if not EmailAddress.objects.filter(user=user, email__iexact=coauthor.email, verified=True).exists():
        raise ContestError(_("Esta invitación es para %(email)s: entre con esa cuenta para aceptarla.")
                         % {"email": coauthor.email}, code="not_invited")
    if coauthor.accepted_at:
        return
    ensure_editable(coauthor.entry)
    from django.utils import timezone

    coauthor.accepted_at, coauthor.user = timezone.now(), user
    coauthor.save(update_fields=["accepted_at", "user"])
    mark_changed(coauthor.entry)
