"""E-mails an entrant makes the site send to someone else (co-author invitations, the
guardian's notice). Both carry text the entrant chose, so both are rate-limited like
receipts (per sender and per recipient address) and their subjects are fixed: nothing the
entrant typed goes into a subject line."""

from __future__ import annotations

import logging

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from contests.mail import allow, send_quietly, site_contact_email

from .errors import ContestError

logger = logging.getLogger(__name__)

PER_SENDER_HOUR = 10
PER_RECIPIENT_DAY = 3


def _allowed(kind: str, sender_id: int, address: str) -> bool:
    """Count one more message; False once the sender or the recipient has had enough."""
    return (allow(f"{kind}:from:{sender_id}", limit=PER_SENDER_HOUR, per_seconds=3600)
            and allow(f"to:{address.strip().lower()}", limit=PER_RECIPIENT_DAY, per_seconds=86400))


def ensure_invitation_allowed(sender, address: str) -> None:
    if not _allowed("invite", sender.pk, address):
        raise ContestError(_("Se enviaron demasiadas invitaciones desde su cuenta o a esa dirección; "
                             "intente más tarde."), code="rate_limited")


def send_invitation(coauthor, entry, link: str) -> bool:
    return send_quietly(_("Invitación para ser coautor(a) en un concurso del SNT"),
                        render_to_string("contests/email/invitation.txt",
                                         {"coauthor": coauthor, "entry": entry, "link": link}),
                        [coauthor.email])


def tell_guardian(profile) -> bool:
    """The guardian hears that their consent was recorded, and whom to write if it was not
    theirs. Returns False when the notice was not sent (rate limit or mail server); the
    consent itself is saved either way."""
    if not profile.guardian_email:
        return False
    if not _allowed("guardian", profile.user_id, profile.guardian_email):
        logger.warning("Guardian notice for user %s not sent: rate limit", profile.user_id)
        return False
    contact = site_contact_email()
    return send_quietly(_("Consentimiento registrado para participar en los concursos del SNT"),
                        render_to_string("contests/email/guardian.txt",
                                         {"profile": profile, "contact": contact}),
                        [profile.guardian_email], reply_to=[contact] if contact else None)
