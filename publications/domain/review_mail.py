"""The e-mails of the editorial workflow, in Spanish, each one kept in the page's history.

Five notices: ``submitted`` (to whoever submitted: it reached the committee),
``vote_requested`` (to the committee members, not the submitter), ``publish_requested`` (to
the "Publicación" task's groups), ``approved``, ``changes_requested`` and ``rejected`` (to the
submitter). They are sent after the transaction commits, one message per person (no one sees
another's address), text + HTML, and a failing mail server is logged, never raised.

History: a ``publications.mail.sent`` entry "Correo enviado a N personas: <asunto>". The
addresses are personal data and stay out of the log (who received it follows from the role
and is not needed to prove that the notice went out).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from wagtail.log_actions import log

logger = logging.getLogger(__name__)

MAIL_ACTION = "publications.mail.sent"
KINDS = ("submitted", "vote_requested", "publish_requested", "approved", "changes_requested",
         "rejected")


def members_of(groups, *, exclude=None) -> list:
    """Active users of ``groups`` with an e-mail address, without ``exclude``."""
    users = (get_user_model().objects.filter(groups__in=groups, is_active=True)
             .exclude(email="").distinct().order_by("pk"))
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return list(users)


def notify(page, kind: str, recipients, *, actor=None, context: dict | None = None) -> None:
    """Send notice ``kind`` about ``page`` to ``recipients`` once the transaction commits.

    Side effects (after commit): one e-mail per recipient with an address; one
    ``publications.mail.sent`` history entry when at least one was sent."""
    if kind not in KINDS:
        raise ValueError(f"Unknown notice {kind!r}")
    people = [user for user in recipients if user is not None and user.email and user.is_active]
    if not people:
        return
    page_id, actor_id = page.pk, getattr(actor, "pk", None)
    extra = dict(context or {})
    transaction.on_commit(lambda: _send(page_id, kind, people, actor_id, extra), robust=True)


def _send(page_id: int, kind: str, people, actor_id, extra: dict) -> int:
    from wagtail.models import Page

    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return 0
    page = page.specific
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    context = {"page": page, "title": page.get_admin_display_title(),
               "edit_url": base + reverse("wagtailadmin_pages:edit", args=[page.pk]),
               "site_name": getattr(settings, "WAGTAIL_SITE_NAME", "Enlace SNT"), **extra}
    with translation.override("es"):
        subject = " ".join(render_to_string(
            f"publications/mail/review_{kind}_subject.txt", context).split())
        text = render_to_string(f"publications/mail/review_{kind}.txt", context)
        html = render_to_string(f"publications/mail/review_{kind}.html", context)
    sent = 0
    try:
        with get_connection() as connection:
            for person in people:
                message = EmailMultiAlternatives(subject, text, None, [person.email],
                                                 connection=connection)
                message.attach_alternative(html, "text/html")
                try:
                    message.send()
                    sent += 1
                except Exception:
                    logger.exception("Could not send workflow notice %r (user %s)", kind,
                                     person.pk)
    except Exception:
        logger.exception("Mail connection failed for workflow notice %r", kind)
    if sent:
        actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
        log(instance=page, action=MAIL_ACTION, user=actor,
            data={"kind": kind, "subject": subject, "count": sent})
    return sent
