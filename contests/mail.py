"""Sending contest e-mails without turning a mail-server hiccup into an error page."""

from __future__ import annotations

import logging

from django.core.mail import send_mail

logger = logging.getLogger(__name__)


def send_quietly(subject: str, body: str, to: list[str]) -> bool:
    """Send one plain-text e-mail; log and return False if the mail server fails. What the
    mail tells is always also on a page, so the person can still find it."""
    subject = " ".join(subject.split())  # a header never carries a line break
    try:
        send_mail(subject, body, None, to)
    except Exception:
        logger.exception("Could not send %r to %s", subject, to)
        return False
    return True


def allow(key: str, *, limit: int, per_seconds: int) -> bool:
    """A small rate limit on what makes the site send e-mail on a person's behalf (receipts
    re-sent, team invitations), so it cannot be used to flood an inbox."""
    from hub.cache import allow as rate_allow

    return rate_allow(f"contests:mail-limit:{key}", limit=limit, per_seconds=per_seconds)
