from celery import shared_task
from django.core.management import call_command


@shared_task(name="hub.publish_scheduled")
def publish_scheduled() -> None:
    """Publish and unpublish pages and snippets whose scheduled time has come (Wagtail)."""
    call_command("publish_scheduled")


@shared_task(name="hub.clear_expired_sessions", ignore_result=True)
def clear_expired_sessions() -> int:
    """Delete the sign-in sessions whose expiry date has passed; returns how many.

    Django never deletes them by itself (that is its ``clearsessions`` command): every sign-in
    that ends without *Cerrar sesión* (a closed browser, a staff member or entrant who simply
    leaves) stayed in the sessions table for good.
    """
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task(name="hub.clear_old_access_logs", ignore_result=True)
def clear_old_access_logs() -> int:
    """Delete the sign-ins of django-axes' access log older than ``ENLACE_ACCESS_LOG_DAYS``;
    returns how many. Axes writes one row per sign-in (user name, address, browser) and never
    deletes it (that is its ``axes_reset_logs`` command)."""
    from datetime import timedelta

    from axes.models import AccessLog
    from django.conf import settings
    from django.utils import timezone

    limit = timezone.now() - timedelta(days=settings.ENLACE_ACCESS_LOG_DAYS)
    deleted, _ = AccessLog.objects.filter(attempt_time__lt=limit).delete()
    return deleted


@shared_task(name="hub.rebuild_open_data")
def rebuild_open_data(*, name: str) -> int:
    """The default bodies of an open dataset or feed, built after a change (hub/opendata.py)."""
    from hub import opendata

    return opendata.rebuild(name)


@shared_task(name="hub.clear_old_mail_files", ignore_result=True)
def clear_old_mail_files() -> int:
    """Delete the mail files older than ``ENLACE_MAIL_FILES_DAYS``; returns how many.

    Without an SMTP server every e-mail is written as a ``.log`` file under ``var/mail/``
    (``hub.mail.PrivateFileEmailBackend``): each request to amplify a post writes one per
    network contact, and none was ever deleted. Other files in the folder are left alone.
    """
    import time
    from pathlib import Path

    from django.conf import settings

    if not settings.EMAIL_BACKEND.endswith("PrivateFileEmailBackend"):
        return 0
    folder = Path(settings.EMAIL_FILE_PATH)
    limit = time.time() - settings.ENLACE_MAIL_FILES_DAYS * 86400
    deleted = 0
    for path in folder.glob("*.log") if folder.is_dir() else ():
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
                deleted += 1
        except FileNotFoundError:
            continue
    return deleted
