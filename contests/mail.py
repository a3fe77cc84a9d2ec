"""Sending contest e-mails without turning a mail-server hiccup into an error page."""

from __future__ import annotations

import logging

from django.core.mail import EmailMessage

logger = logging.getLogger(__name__)


def send_quietly(subject: str, body: str, to: list[str], reply_to: list[str] | None = None) -> bool:
    """Send one plain-text e-mail; log and return False if the mail server fails. What the
    mail tells is always also on a page, so the person can still find it."""
    subject = " ".join(subject.split())  # a header never carries a line break
    try:
        EmailMessage(subject, body, None, to, reply_to=reply_to).send()
    except Exception:
        logger.exception("Could not send %r to %s", subject, to)
        return False
    return True


def allow(key: str, *, limit: int, per_seconds: int) -> bool:
    """A small rate limit on what makes the site send e-mail on a person's behalf (receipts
    re-sent, team invitations), so it cannot be used to flood an inbox."""
    from hub.cache import allow as rate_allow

    return rate_allow(f"contests:mail-limit:{key}", limit=limit, per_seconds=per_seconds)


def site_contact_email() -> str:
    """The site's contact address (*Configuración → Ajustes del sitio*), where a person can
    answer a notice: the sender is a no-reply address. Read by name, as hub's site settings
    sit above the contests in the app layers."""
    from django.apps import apps
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return ""
    return apps.get_model("hub", "SiteSettings").for_site(site).contact_email
