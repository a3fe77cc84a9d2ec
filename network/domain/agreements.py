"""Agreement expiry reminders."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from network.models import Agreement

log = logging.getLogger(__name__)


def agreements_due_for_reminder(on: dt.date | None = None, days: int | None = None):
    """In-force agreements that expire within ``days`` and whose people were not yet told."""
    days = settings.ENLACE_AGREEMENT_REMINDER_DAYS if days is None else days
    qs = Agreement.objects.expiring_within(days, on=on)
    # Reminded already for this same expiry date: skip. A renewed agreement (new date) is
    # reminded again.
    return [a for a in qs.prefetch_related("responsible") if a.reminder_sent_for != a.valid_until]


def send_agreement_reminders(on: dt.date | None = None, days: int | None = None) -> int:
    """E-mail the people responsible for each agreement about to expire. Returns mails sent.

    Side effects: one e-mail per agreement with responsible people that have an address;
    ``Agreement.reminder_sent_for`` set so the same expiry is never reminded twice.
    """
    on = on or timezone.localdate()
    sent = 0
    for agreement in agreements_due_for_reminder(on=on, days=days):
        recipients = sorted({p.email for p in agreement.responsible.all() if p.email})
        with transaction.atomic():
            # Claim the reminder first, so two concurrent runs never both send it.
            claimed = Agreement.objects.filter(pk=agreement.pk).exclude(
                reminder_sent_for=agreement.valid_until
            ).update(reminder_sent_for=agreement.valid_until)
            if not claimed:
                continue
            if not recipients:
                log.warning("Agreement %s expires without anyone to remind", agreement.pk)
                continue
            with translation.override(settings.LANGUAGE_CODE):
                remaining = (agreement.valid_until - on).days
                subject = _("Convenio por vencer: %(title)s") % {"title": agreement.title}
                body = render_to_string("network/email/agreement_reminder.txt", {
                    "agreement": agreement, "days": remaining,
                    "admin_url": f"{settings.WAGTAILADMIN_BASE_URL}/admin/snippets/network/"
                                 f"agreement/edit/{agreement.pk}/",
                })
            send_mail(subject, body, None, recipients)
            sent += 1
    return sent
