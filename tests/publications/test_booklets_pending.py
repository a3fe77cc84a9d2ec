"""The "reforma pendiente" queue: a law changes, the committee hears once, a new edition clears it."""

import datetime as dt

import pytest
from django.core import mail
from django.test import Client

from hub.roles import EDITORIAL
from publications.domain import editions
from publications.models import PendingReformNotice
from publications.tasks.booklets import notify_pending_reforms
from tests.factories import UserFactory
from tests.publications import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _jobs_run_inline():
    from hub.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False
    app.conf.task_eager_propagates = False


@pytest.fixture
def committee(db):
    return [UserFactory(username=f"comite{n}", groups=[EDITORIAL]) for n in (1, 2)]


@pytest.fixture
def law(db):
    return f.LawFactory(short_name="LTEST", dof_date=dt.date(2020, 1, 1))


@pytest.fixture
def booklet(site, law):
    booklet = f.booklet(f.booklet_index(site), title="El ABC de la prueba")
    f.edition(booklet, laws=[law], current_to=dt.date(2024, 6, 30))
    return booklet


def test_a_reform_puts_the_booklet_in_the_queue_and_mails_the_committee_once(
        booklet, law, committee, django_capture_on_commit_callbacks):
    assert editions.pending_reforms() == []
    with django_capture_on_commit_callbacks(execute=True):
        reform = f.ReformFactory(law=law, title="Decreto que reforma la LTEST",
                                 dof_date=dt.date(2026, 2, 1))
    [item] = editions.pending_reforms()
    assert item.booklet.pk == booklet.pk and item.reform == reform and item.law == law
    assert item.since == dt.date(2026, 2, 1)
    assert len(mail.outbox) == 1  # sent by the job the save asked for
    message = mail.outbox[0]
    assert sorted(message.to) == sorted(u.email for u in committee)
    assert "El ABC de la prueba" in message.subject
    assert "Decreto que reforma la LTEST" in message.body and "01/02/2026" in message.body
    assert f"/admin/pages/add/publications/editionpage/{booklet.pk}/" in message.body
    assert message.alternatives and "text/html" == message.alternatives[0][1]
    # The periodic job runs again (twice): nothing more is sent.
    assert notify_pending_reforms() == 0
    assert notify_pending_reforms() == 0
    assert len(mail.outbox) == 1
    assert PendingReformNotice.objects.get().status == "sent"


def test_a_replacing_law_puts_the_booklet_in_the_queue_until_a_new_edition(booklet, law,
                                                                            committee):
    new_law = f.LawFactory(short_name="LNUEVA", dof_date=dt.date(2025, 3, 20))
    new_law.replaces.add(law)
    [item] = editions.pending_reforms()
    assert item.new_law == new_law and item.reform is None
    assert notify_pending_reforms() == 1 and len(mail.outbox) == 1
    f.edition(booklet, laws=[new_law], current_to=dt.date(2025, 3, 20), trigger_law=new_law,
              change_summary="Actualizada a la ley nueva.")
    assert editions.pending_reforms() == []
    assert notify_pending_reforms() == 0 and len(mail.outbox) == 1


def test_a_reform_older_than_the_edition_or_a_draft_edition_change_nothing(booklet, law, committee):
    f.ReformFactory(law=law, dof_date=dt.date(2023, 1, 1))  # already in the edition
    assert editions.pending_reforms() == []
    f.ReformFactory(law=law, dof_date=dt.date(2026, 1, 1))
    f.edition(booklet, laws=[law], current_to=dt.date(2026, 1, 2), publish=False, live=False)
    assert len(editions.pending_reforms()) == 1  # a draft does not clear the queue


def test_a_mail_server_failure_is_retried_by_the_next_run(booklet, law, committee, monkeypatch):
    f.ReformFactory(law=law, dof_date=dt.date(2026, 2, 1))

    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("no SMTP")

    from django.core.mail import EmailMultiAlternatives

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    assert notify_pending_reforms() == 0
    assert PendingReformNotice.objects.get().status == "failed"
    monkeypatch.undo()
    assert notify_pending_reforms() == 1 and len(mail.outbox) == 1
    assert notify_pending_reforms() == 0 and len(mail.outbox) == 1


def test_the_dashboard_panel_lists_pending_booklets_for_the_committee_only(booklet, law, committee,
                                                                            officer):
    f.ReformFactory(law=law, title="Decreto de prueba", dof_date=dt.date(2026, 2, 1))
    member = Client()
    member.force_login(committee[0])
    body = member.get("/admin/").content.decode()
    assert "Cuadernillos con reforma pendiente" in body and "El ABC de la prueba" in body
    assert f"/admin/pages/add/publications/editionpage/{booklet.pk}/" in body
    other = Client()
    other.force_login(officer)
    assert "Cuadernillos con reforma pendiente" not in other.get("/admin/").content.decode()


def test_a_claim_left_by_a_crashed_run_is_sent_later_but_a_fresh_one_is_not(booklet, law,
                                                                           committee):
    from django.utils import timezone

    reform = f.ReformFactory(law=law, dof_date=dt.date(2026, 2, 1))
    [item] = editions.pending_reforms()
    notice = PendingReformNotice.objects.create(booklet=booklet, edition=item.edition, law=law,
                                                reform=reform)
    assert notify_pending_reforms() == 0 and mail.outbox == []  # another run is sending it
    PendingReformNotice.objects.filter(pk=notice.pk).update(
        claimed_at=timezone.now() - dt.timedelta(hours=2))
    assert notify_pending_reforms() == 1 and len(mail.outbox) == 1


def test_a_new_edition_starts_from_the_current_one_and_the_reform_that_prompted_it(
        booklet, law, committee):
    """«Añadir nueva edición» (panel and e-mail): the form starts from the current edition —
    its sections with their keys (so the comparison matches them), its laws and licence —
    as the next number, replacing it, prompted by the pending reform. It was empty: a member
    retyped every section, and new keys made the comparison show all as removed and added."""
    reform = f.ReformFactory(law=law, title="Decreto que reforma la LTEST",
                             dof_date=dt.date(2026, 2, 1))
    current = editions.current_edition(booklet)
    member = Client()
    member.force_login(committee[0])
    response = member.get(editions.add_edition_url(booklet))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["edition_number"].value() == 2
    assert form["replaces"].value() == current.pk
    assert form["trigger_reform"].value() == reform.pk
    assert list(form["laws"].value()) == [law.pk]
    html = response.content.decode()
    assert "que-es" in html and "La transparencia es un derecho." in html
    assert "Primera edición." not in html  # the summary of changes is written anew
