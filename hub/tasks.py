from celery import shared_task
from django.core.management import call_command


@shared_task(name="hub.publish_scheduled")
def publish_scheduled() -> None:
    """Publish and unpublish pages and snippets whose scheduled time has come (Wagtail)."""
    call_command("publish_scheduled")
