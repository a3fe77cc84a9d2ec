from celery import shared_task
from django.core.management import call_command


@shared_task(name="hub.publish_scheduled")
def publish_scheduled() -> None:
    """Publish and unpublish pages and snippets whose scheduled time has come (Wagtail)."""
    call_command("publish_scheduled")


@shared_task(name="hub.rebuild_open_data")
def rebuild_open_data(*, name: str) -> int:
    """The default bodies of an open dataset or feed, built after a change (hub/opendata.py)."""
    from hub import opendata

    return opendata.rebuild(name)
