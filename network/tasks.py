from celery import shared_task

from network.domain import agreements, images, participation


@shared_task(name="network.send_agreement_reminders")


def send_agreement_reminders() -> int:
    return agreements.send_agreement_reminders()


@shared_task(name="network.make_renditions")


def make_renditions(*, image_id: int) -> int:
    return images.make_renditions(image_id)


@shared_task(name="network.roadmap_daily")


def roadmap_daily() -> dict:
    """Next year's annual milestones, then one reminder per overdue milestone and period."""
    from network.domain import roadmaps

    return roadmaps.run_daily()


@shared_task(name="network.send_participation_surveys")


def send_participation_surveys() -> int:
    """Satisfaction surveys to attendees of events that ended (each claimed once)."""
    return participation.send_surveys()
