"""The Comité Editorial in headless Chromium: an article is submitted, two members vote, the
committee approves and the publication step publishes it.

Written as steps so the rest of the issue's flow (the issue scheduled, its PDF downloaded and
read, citation tags, an OAI-PMH harvest) can be appended after ``committee_review`` once the
magazine, files and discovery work is merged.
"""

import pytest

from publications.models import ArticlePage, ReviewVote
from tests.publications import factories as pub
from tests.publications.workflow_helpers import committee

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "clave-de-prueba-123"


def login(page, base, username):
    page.context.clear_cookies()
    page.goto(base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/admin/")


def submit_for_review(page, base, article):
    page.goto(base + f"/admin/pages/{article.pk}/edit/")
    assert page.locator("button[name='action-submit']").count() == 1, page.content()[-4000:]
    with page.expect_navigation():
        page.evaluate("document.querySelector(\"button[name='action-submit']\").click()")


def vote(page, base, article, verdict_label, comment):
    page.goto(base + f"/admin/pages/{article.pk}/edit/")
    with page.expect_navigation():
        page.evaluate("document.querySelector(\"button[data-workflow-action-name='vote']\")"
                      ".click()")
        page.get_by_label(verdict_label).check()
        page.fill("textarea[name=comment]", comment)
        page.locator(".modal button[type=submit]").click()


def decide_approve(page, base, article):
    page.goto(base + f"/admin/pages/{article.pk}/edit/")
    with page.expect_navigation():
        page.evaluate("document.querySelector(\"button[data-workflow-action-name='approve']\")"
                      ".click()")
        page.fill("textarea[name=comment]", "Aprobado por el comité.")
        page.locator(".modal button[type=submit]").click()


def committee_review(page, base, site):
    """Submit, two votes, the committee's approval; returns the article (still a draft until
    the publication step)."""
    from django.apps import apps

    from publications.workflow_setup import ensure_editorial_workflow

    ensure_editorial_workflow(apps)  # the transactional tests flush what migrations made
    author, first, second = committee("autora", "lectora", "lector")
    article = pub.article(pub.issue(pub.magazine(site)), publish=False, live=False,
                          title="El acceso a la información en los municipios")
    login(page, base, "autora")
    submit_for_review(page, base, article)
    article.refresh_from_db()
    assert article.current_workflow_task is not None, page.locator(".messages").all_inner_texts()
    assert article.current_workflow_task.name == "Revisión del Comité Editorial"
    login(page, base, "lectora")
    vote(page, base, article, "Aprobar", "Claro y bien documentado.")
    login(page, base, "lector")
    vote(page, base, article, "Solicitar cambios", "Cite la ley general de 2025.")
    assert ReviewVote.objects.count() == 2
    decide_approve(page, base, article)
    article = ArticlePage.objects.get(pk=article.pk)  # a fresh object: no cached workflow state
    state = article.current_workflow_state
    assert state is not None and state.current_task_state.task.name == "Publicación", (
        state and state.status, page.locator(".messages").all_inner_texts())
    page.goto(base + f"/admin/pages/{article.pk}/history/")
    html = page.content()
    assert "Voto del Comité Editorial" in html and "Decisión del Comité Editorial" in html
    return article


def test_an_article_is_reviewed_by_two_members_and_approved(page, live_server, reference_data,
                                                           site):
    base = live_server.url
    article = committee_review(page, base, site)
    # Publication step (the committee or Coordinación): approve in the admin.
    page.goto(base + f"/admin/pages/{article.pk}/edit/")
    with page.expect_navigation():
        page.evaluate("document.querySelector(\"button[data-workflow-action-name='approve']"
                      ":not([data-workflow-action-modal-url])\").click()")
    assert ArticlePage.objects.get(pk=article.pk).live
