import datetime as dt
import time

import pytest
from django.core import mail
from django.utils import timezone

from network.domain.agreements import send_agreement_reminders
from network.models import Agreement
from tests.factories import AgreementFactory, PersonFactory
from tests.workers import start_worker, stop_worker


@pytest.mark.django_db
def test_people_responsible_are_reminded_once_before_expiry(infoem):
    today = timezone.localdate()
    ana = PersonFactory(institution=infoem, email="ana@infoem.example")
    beto = PersonFactory(institution=infoem, email="beto@infoem.example")
    soon = AgreementFactory(title="Convenio con la universidad", institutions=[infoem],
                            valid_until=today + dt.timedelta(days=10), responsible=[ana, beto])
    AgreementFactory(title="Convenio lejano", valid_until=today + dt.timedelta(days=200),
                     responsible=[ana])
    assert send_agreement_reminders() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Convenio por vencer: Convenio con la universidad"
    assert sorted(message.to) == ["ana@infoem.example", "beto@infoem.example"]
    assert "en 10 días" in message.body and "INFOEM" in message.body
    assert send_agreement_reminders() == 0  # the same expiry is never reminded twice
    soon.valid_until = today + dt.timedelta(days=20)  # renewed with a new date: remind again
    soon.save()
    assert send_agreement_reminders() == 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_celery_worker_runs_the_scheduled_reminder_job(tmp_path, reference_data):
    """The job goes through the configured broker (embedded or Redis) to a worker process."""
    from network.models import Institution
    from network.tasks import send_agreement_reminders as task

    infoem = Institution.objects.get(acronym="INFOEM")

    person = PersonFactory(institution=infoem, email="responsable@infoem.example")
    agreement = AgreementFactory(title="Convenio por vencer pronto", responsible=[person],
                                 valid_until=timezone.localdate() + dt.timedelta(days=3))
    worker = start_worker(tmp_path)
    try:
        task.delay()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            agreement.refresh_from_db()
            if agreement.reminder_sent_for == agreement.valid_until:
                break
            assert worker.poll() is None, worker.stdout.read()
            time.sleep(0.3)
        assert agreement.reminder_sent_for == agreement.valid_until, "the worker never ran it"
        mails = list((tmp_path / "mail").glob("*.log"))
        assert len(mails) == 1
        assert "Convenio por vencer pronto" in mails[0].read_text()
    finally:
        stop_worker(worker)
    assert Agreement.objects.get(pk=agreement.pk).reminder_sent_for is not None


def test_the_admin_export_says_expired_for_an_agreement_past_its_end(coordinator_client, infoem):
    AgreementFactory(title="Convenio ya terminado", institutions=[infoem], status="vigente",
                     valid_until=timezone.localdate() - dt.timedelta(days=3))
    response = coordinator_client.get("/admin/snippets/network/agreement/?export=csv")
    csv_text = b"".join(response.streaming_content).decode("utf-8-sig")
    row = next(line for line in csv_text.splitlines() if "Convenio ya terminado" in line)
    assert "Vencido" in row and "Vigente" not in row
    assert "Partes" in csv_text.splitlines()[0]
