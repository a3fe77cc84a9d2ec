from celery import shared_task

from network.domain import agreements


@shared_task(name="network.send_agreement_reminders")
def send_agreement_reminders() -> int:
    return agreements.send_agreement_reminders()
