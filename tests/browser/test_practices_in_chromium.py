"""The library of good practices and a region's joint agenda in real headless Chromium."""

import pytest
from wagtail.models import Page

from hub.models import PracticeLibraryPage
from hub.practices import build_practices_demo
from network.domain.demo_agendas import build_agenda_demo
from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data"),
              pytest.mark.django_db(transaction=True)]


@pytest.fixture
def library(reference_data, site):
    build_agenda_demo(2026)
    return build_practices_demo(Page.objects.get(depth=2))


def test_filter_the_library_by_region_and_topic_and_open_a_practice(page, live_server, library):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + library.url)
    assert "Archivo municipal en orden en 100 días" in page.content()
    assert "Datos abiertos de obra pública para la ciudadanía" in page.content()
    assert_accessible(page)
    page.select_option("#f-region", "sureste")
    page.select_option("#f-tema", "archivos")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**region=sureste**")
    cards = page.locator("ul.practices li.card")
    assert cards.count() == 1
    assert "Datos abiertos de obra pública" not in page.content()
    cards.first.locator("a").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Archivo municipal en orden en 100 días"
    assert "Qué se hizo" in page.content()
    # Nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)


def test_region_agenda_page_reads_on_a_phone(page, live_server, library):
    page.set_viewport_size({"width": 360, "height": 740})
    response = page.goto(live_server.url + "/agendas/sureste/")
    assert response.status == 200
    assert "Feria regional de experiencias exitosas en archivos" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)
    assert PracticeLibraryPage.objects.count() == 1
