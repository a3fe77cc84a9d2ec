from celery import shared_task

from contests.domain import retention


@shared_task(name="contests.purge_unneeded_files")
def purge_unneeded_files() -> int:
    return retention.purge_unneeded_files()
