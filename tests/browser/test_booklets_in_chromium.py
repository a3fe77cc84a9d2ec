"""The booklet pages in Chromium: axe finds nothing serious, with or without JavaScript."""

import importlib

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]


@pytest.fixture
def demo_booklet(reference_data):
    from django.apps import apps

    from hub.bootstrap import ensure_site
    from publications.demo import build_booklet_demo

    importlib.import_module("publications.migrations.0003_booklets_load_laws").load(apps, None)
    return build_booklet_demo(ensure_site())


def test_booklet_pages_pass_axe(page, live_server, demo_booklet):
    first = demo_booklet.get_children().order_by("path").first()
    for path in (demo_booklet.get_parent().url, demo_booklet.url, first.url,
                 demo_booklet.url + "comparar/?de=1&a=2"):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert page.locator("h1").count() == 1
        assert_accessible(page)


def test_the_comparison_reads_without_javascript(browser, live_server, demo_booklet):
    context = browser.new_context(java_script_enabled=False, locale="es-MX")
    try:
        tab = context.new_page()
        tab.goto(live_server.url + demo_booklet.url)
        tab.select_option("#de", "1")
        tab.select_option("#a", "2")
        tab.get_by_role("button", name="Comparar").click()
        assert "comparar/?de=1&a=2" in tab.url
        assert tab.locator("ins").first.text_content().startswith("Texto añadido:")
        assert tab.locator("details summary").first.text_content().startswith("Sin cambios:")
    finally:
        context.close()
