"""The editorial workflow's e-mails: Spanish, one per person, each kept in the history."""

from __future__ import annotations

import pytest
from django.core import mail
from wagtail.models import PageLogEntry

from publications.domain import review
from publications.enums import Outcome, Verdict
from tests.publications.workflow_helpers import committee, draft_article, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    author, r1, r2 = committee("autora", "revisor1", "revisora2")
    return {"author": author, "r1": r1, "r2": r2}


def _mail_log(page):
    return list(PageLogEntry.objects.filter(page=page, action="publications.mail.sent")
                .order_by("pk"))


def test_submission_tells_the_author_and_asks_the_others_to_vote(
        site, people, django_capture_on_commit_callbacks):
    page = draft_article(site, title="Transparencia & rendición de cuentas")
    with django_capture_on_commit_callbacks(execute=True):
        submit(page, people["author"])
    by_subject = {m.subject: m for m in mail.outbox}
    assert set(by_subject) == {
        "Recibimos su envío: «Transparencia & rendición de cuentas»",
        "Se solicita su voto: «Transparencia & rendición de cuentas»"}
    assert [m.to for m in mail.outbox if m.subject.startswith("Recibimos")] == [
        ["autora@example.org"]]
    voters = sorted(m.to[0] for m in mail.outbox if m.subject.startswith("Se solicita"))
    assert voters == ["revisor1@example.org", "revisora2@example.org"]  # not the author
    message = by_subject["Se solicita su voto: «Transparencia & rendición de cuentas»"]
    assert "registre su voto" in message.body and f"/admin/pages/{page.pk}/edit/" in message.body
    assert message.alternatives and "&amp;" in message.alternatives[0][0]
    logged = [(e.data["count"], e.data["subject"]) for e in _mail_log(page)]
    assert (2, "Se solicita su voto: «Transparencia & rendición de cuentas»") in logged
    assert all("@" not in str(e.data) for e in _mail_log(page))  # no addresses in the history
    assert "Correo enviado a 2 personas" in str(_mail_log(page)[-1].message) or any(
        "Correo enviado a 2 personas" in str(e.message) for e in _mail_log(page))


def test_no_english_wagtail_mail_for_the_editorial_workflow(
        site, people, django_capture_on_commit_callbacks, django_user_model):
    django_user_model.objects.create_superuser("raiz", "raiz@example.org", "x-clave-123")
    page = draft_article(site)
    with django_capture_on_commit_callbacks(execute=True):
        submit(page, people["author"])
    assert not [m for m in mail.outbox if "raiz@example.org" in m.to]
    assert all("moderation" not in m.body and "submitted" not in m.subject for m in mail.outbox)


@pytest.mark.parametrize(("outcome", "subject"), [
    (Outcome.CHANGES, "Cambios solicitados"), (Outcome.REJECTED, "No aprobado")])
def test_the_decision_reaches_the_author_with_the_comment(
        site, people, django_capture_on_commit_callbacks, outcome, subject):
    page = draft_article(site, title="Archivos municipales")
    submit(page, people["author"])
    page.refresh_from_db()
    state = page.current_workflow_task_state.specific
    review.record_vote(state, people["r1"], Verdict.CHANGES, "Amplíe la metodología.")
    review.record_vote(state, people["r2"], Verdict.REJECT, "No es original.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review.decide(state, people["r1"], approve=False, outcome=outcome,
                      comment="Le pedimos ampliar la metodología.")
    assert [(m.subject, m.to) for m in mail.outbox] == [
        (f"{subject}: «Archivos municipales»", ["autora@example.org"])]
    assert "Le pedimos ampliar la metodología." in mail.outbox[0].body
    assert _mail_log(page)[-1].data["subject"] == f"{subject}: «Archivos municipales»"


def test_approval_asks_for_publication_and_then_tells_the_author(
        site, people, coordinator, django_capture_on_commit_callbacks):
    page = draft_article(site, title="Gobierno abierto")
    submit(page, people["author"])
    page.refresh_from_db()
    state = page.current_workflow_task_state.specific
    review.record_vote(state, people["r1"], Verdict.APPROVE)
    review.record_vote(state, people["r2"], Verdict.APPROVE)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review.decide(state, people["r2"], approve=True)
    publish_to = sorted(m.to[0] for m in mail.outbox)
    assert all(m.subject == "Listo para publicación: «Gobierno abierto»" for m in mail.outbox)
    assert "coordinadora@example.org" in publish_to
    page.refresh_from_db()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page.current_workflow_task_state.approve(user=coordinator)
    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("Aprobado: «Gobierno abierto»", ["autora@example.org"])]
    page.refresh_from_db()
    assert page.live


def test_a_failing_mail_server_neither_breaks_the_vote_nor_logs_a_mail(
        site, people, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.publications.broken_mail.Backend"
    page = draft_article(site)
    with django_capture_on_commit_callbacks(execute=True):
        submit(page, people["author"])
    page.refresh_from_db()
    assert page.current_workflow_task_state is not None
    assert _mail_log(page) == []


def test_a_member_listed_among_the_authors_is_not_asked_to_vote(
        site, people, django_capture_on_commit_callbacks):
    """A member named among the article's authors cannot vote on it: no «Se solicita su voto»
    for them (the button they would follow is not there)."""
    from publications.models import Author

    page = draft_article(site, title="Un texto coescrito")
    Author.objects.filter(pk=page.article_authors.first().author_id).update(user=people["r1"])
    with django_capture_on_commit_callbacks(execute=True):
        submit(page, people["author"])
    voters = sorted(m.to[0] for m in mail.outbox if m.subject.startswith("Se solicita"))
    assert voters == ["revisora2@example.org"]
