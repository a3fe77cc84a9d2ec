"""Issue 12 end to end, as the Comité Editorial works, in headless Chromium through the real
admin: an article is submitted, two members vote, the committee approves it and the
publication step publishes it (continuous publication); a member schedules its issue with
Wagtail's "go live at"; beat's ``hub.publish_scheduled`` publishes it when the time comes; the
worker's ``publications.make_files`` makes the PDFs; the reader downloads the issue PDF from
the issue page and finds the article's title on the page its metadata claims; the article
page carries its citation tags; a harvester lists it over OAI-PMH.
"""

import datetime as dt
import io
import re
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from publications.models import ArticlePage, IssuePage, ReviewVote
from tests.browser.conftest import assert_accessible
from tests.browser.test_publications_committee import decide_approve, login, submit_for_review, vote
from tests.publications import factories as pub
from tests.publications.workflow_helpers import committee

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "El acceso a la información en los municipios"
MEXICO = ZoneInfo("America/Mexico_City")


def approve_publication_step(page, base, article):
    """The workflow's second task ("Publicación"): a plain approval, no modal."""
    page.goto(base + f"/admin/pages/{article.pk}/edit/")
    with page.expect_navigation():
        page.evaluate("document.querySelector(\"button[data-workflow-action-name='approve']"
                      ":not([data-workflow-action-modal-url])\").click()")


def next_due_minute() -> dt.datetime:
    """A go-live time on a minute boundary (the admin's widget has no seconds) at least
    20 seconds ahead, so that saving the form cannot overtake it."""
    soon = dt.datetime.now(MEXICO) + dt.timedelta(seconds=20)
    return soon.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)


def schedule(page, base, issue, at: dt.datetime):
    """Wagtail's "go live at" in the issue's settings, then "Publicar"."""
    page.goto(base + f"/admin/pages/{issue.pk}/edit/")
    page.evaluate("value => { const input = document.querySelector('input[name=go_live_at]');"
                  " input.value = value; input.dispatchEvent(new Event('change')); }",
                  at.strftime("%Y-%m-%d %H:%M"))
    assert page.locator("button[name='action-publish']").count() == 1
    with page.expect_navigation():
        page.evaluate("document.querySelector(\"button[name='action-publish']\").click()")


def meta(page, name) -> list[str]:
    return page.locator(f"meta[name='{name}']").evaluate_all(
        "nodes => nodes.map(n => n.content)")


def test_an_article_goes_from_submission_to_a_harvested_issue_pdf(page, live_server,
                                                                  reference_data, site):
    from django.apps import apps
    from pypdf import PdfReader
    from sickle import Sickle

    from hub.tasks import publish_scheduled
    from publications.oai import issue_set_spec
    from publications.tasks.files import make_files
    from publications.workflow_setup import ensure_editorial_workflow

    base = live_server.url
    ensure_editorial_workflow(apps)  # the transactional tests flush what migrations made
    committee("autora", "lectora", "lector")
    issue = pub.issue(pub.magazine(site), publish=False, live=False,
                      title="Municipios abiertos")
    author = pub.AuthorFactory(given_names="Ana", family_names="Gómez Ruiz")
    article = pub.article(issue, publish=False, live=False, title=TITLE, authors=[author],
                          body=[("paragraph", "<p>Los municipios publican poco.</p>")] * 40)

    # Submission, two votes, the committee's decision, the publication step.
    login(page, base, "autora")
    submit_for_review(page, base, article)
    login(page, base, "lectora")
    vote(page, base, article, "Aprobar", "Claro y bien documentado.")
    login(page, base, "lector")
    vote(page, base, article, "Aprobar", "De acuerdo; publicable.")
    assert ReviewVote.objects.count() == 2
    decide_approve(page, base, article)
    approve_publication_step(page, base, article)
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.live, page.locator(".messages").all_inner_texts()
    assert not IssuePage.objects.get(pk=issue.pk).live

    # A member schedules the issue; it is not public until its time.
    due = next_due_minute()
    schedule(page, base, issue, due)
    issue = IssuePage.objects.get(pk=issue.pk)
    assert not issue.live, page.locator(".messages").all_inner_texts()
    assert issue.revisions.filter(approved_go_live_at=due).exists(), (
        page.locator(".messages").all_inner_texts())
    publish_scheduled()  # beat, before the time: nothing happens
    assert not IssuePage.objects.get(pk=issue.pk).live
    time.sleep(max(0.0, (due - dt.datetime.now(MEXICO)).total_seconds()) + 1)
    publish_scheduled()  # beat, once the time has come
    issue = IssuePage.objects.get(pk=issue.pk)
    assert issue.live

    # The worker makes the files (the job the publication asked for), issue first: its PDF
    # writes the articles' page ranges back.
    assert make_files(page_id=issue.pk) == 1
    assert make_files(page_id=article.pk) == 1

    # The reader: the issue page, its PDF, the article's page.
    response = page.goto(base + issue.url)
    assert response.status == 200
    assert page.locator("h1").count() == 1
    assert page.locator(f"a:has-text('{TITLE}')").count() == 1
    assert_accessible(page)
    link = page.locator("a[href*='/publicaciones/archivo/'][href$='.pdf']")
    assert link.count() == 1, page.content()
    with page.expect_download() as download:
        link.click()
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"%PDF")

    response = page.goto(base + article.url)
    assert response.status == 200
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    assert meta(page, "citation_title") == [TITLE]
    assert meta(page, "citation_author") == ["Gómez Ruiz, Ana"] or meta(
        page, "citation_author") == ["Ana Gómez Ruiz"]
    first_page = meta(page, "citation_firstpage")
    assert len(first_page) == 1 and first_page[0].isdigit(), first_page
    pdf_url = meta(page, "citation_pdf_url")
    assert len(pdf_url) == 1 and re.search(r"/publicaciones/archivo/\d+/v1/.+\.pdf$",
                                           pdf_url[0]), pdf_url
    article_pdf = page.request.get(base + pdf_url[0][pdf_url[0].index("/publicaciones/"):])
    assert article_pdf.status == 200 and article_pdf.body().startswith(b"%PDF")

    # The title is on the page of the issue PDF that the metadata claims (1-based).
    reader = PdfReader(io.BytesIO(data))
    number = int(first_page[0])
    assert 1 <= number <= len(reader.pages)
    text = " ".join(reader.pages[number - 1].extract_text().split())
    assert TITLE in text, (number, text[:500])

    # A harvester lists it in the issue's set.
    records = list(Sickle(base + "/oai/").ListRecords(metadataPrefix="oai_dc",
                                                      set=issue_set_spec(issue)))
    titles = [title for record in records for title in record.metadata.get("title", [])]
    assert TITLE in titles, titles
