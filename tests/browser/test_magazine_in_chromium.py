"""The magazine's public pages in headless Chromium: one <h1>, axe, and no JavaScript needed."""

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data"),
              pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(reference_data, site):
    from publications.demo import build_magazine_demo
    from publications.models import ArticlePage, IssuePage

    magazine = build_magazine_demo(site)
    issue = IssuePage.objects.get()
    article = ArticlePage.objects.get(title__startswith="Diez años")
    return magazine, issue, article


def test_magazine_issue_and_article_pass_axe_with_one_heading(page, live_server, demo):
    magazine, issue, article = demo
    for target, text in ((magazine, "Números"), (issue, "Índice"), (article, "Cómo citar")):
        response = page.goto(live_server.url + target.url)
        assert response.status == 200, target.url
        assert text in page.content()
        assert page.locator("h1").count() == 1
        assert_accessible(page)


def test_article_reads_and_cites_without_javascript(browser, live_server, demo):
    _magazine, _issue, article = demo
    context = browser.new_context(java_script_enabled=False, locale="es-MX")
    page = context.new_page()
    try:
        page.goto(live_server.url + article.url)
        assert page.locator("figure.figure img[alt^='Gráfica de barras']").count() == 1
        with page.expect_download() as download:
            page.click("text=BibTeX")
        assert download.value.suggested_filename.endswith(".bib")
    finally:
        context.close()
