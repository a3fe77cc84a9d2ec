"""Signals: magazine — when an issue goes live (now or at its scheduled time), its approved
articles go live with it (``publications.domain.issues.publish_approved_articles``)."""

from __future__ import annotations

from django.dispatch import receiver
from wagtail.signals import page_published

from ..models import IssuePage


@receiver(page_published, sender=IssuePage, dispatch_uid="publications_issue_published")
def publish_issue_articles(sender, instance, revision=None, **kwargs):
    from ..domain.issues import publish_approved_articles

    user = getattr(revision, "user", None) if revision is not None else None
    publish_approved_articles(instance, user=user)
