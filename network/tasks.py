from celery import shared_task

from network.domain import agreements, images, participation


@shared_task(name="network.send_agreement_reminders")
def send_agreement_reminders() -> int:
    return agreements.send_agreement_reminders()


@shared_task(name="network.make_renditions")
def make_renditions(*, image_id: int) -> int:
    return images.make_renditions(image_id)


@shared_task(name="network.send_participation_surveys")
def send_participation_surveys() -> int:
    """Satisfaction surveys to attendees of events that ended (each claimed once)."""
    return participation.send_surveys()
