"""Signals: files. Publishing an article, an issue or a booklet edition asks for its files."""

from __future__ import annotations

from django.dispatch import receiver
from wagtail.signals import page_published

from ..domain import files
from ..models import ArticlePage, EditionPage, IssuePage


@receiver(page_published, sender=ArticlePage, dispatch_uid="publications_files_article")
@receiver(page_published, sender=IssuePage, dispatch_uid="publications_files_issue")
@receiver(page_published, sender=EditionPage, dispatch_uid="publications_files_edition")
def make_files_on_publish(sender, instance, **kwargs):
    files.request_files(instance)
