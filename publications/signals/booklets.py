"""Signals: booklets. A law or reform saved may leave booklets behind: check, after commit."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from .. import tasks  # noqa: F401  (registers the jobs the domain asks for by name)
from ..domain.editions import request_pending_check
from ..models import Law, Reform


@receiver(post_save, sender=Reform, dispatch_uid="publications_reform_saved")
@receiver(post_save, sender=Law, dispatch_uid="publications_law_saved")
def law_or_reform_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        request_pending_check()


@receiver(m2m_changed, sender=Law.replaces.through, dispatch_uid="publications_law_replaces")
def law_replaces_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        request_pending_check()


def _forget_publisher(sender, instance, **kwargs):
    from django.core.cache import cache

    from ..domain.editions import PUBLISHER_KEY

    cache.delete(PUBLISHER_KEY.format(instance.site_id))


def _connect_publisher_cache():
    from django.db.models.signals import post_delete, post_save

    from ..models import PublicationSettings

    post_save.connect(_forget_publisher, sender=PublicationSettings,
                      dispatch_uid="publications.forget_publisher")
    post_delete.connect(_forget_publisher, sender=PublicationSettings,
                        dispatch_uid="publications.forget_publisher_delete")


_connect_publisher_cache()
