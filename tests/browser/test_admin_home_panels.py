"""The admin home's panels (the quarter's figures, «Programadas», agreements falling due,
booklets awaiting a reform): one frame and one left edge with the page's heading, and on a
phone their buttons stay on the screen."""

import datetime as dt

import pytest
from django.utils import timezone

from network import rules
from network.models import Institution
from tests.browser.conftest import sign_in_to_admin
from tests.campaigns.factories import make_channel, publish_post
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PANELS = """() => [...document.querySelectorAll('.w-dashboard > section')].map(s => {
    const box = s.getBoundingClientRect();
    const heading = s.querySelector('h2').getBoundingClientRect();
    const spill = [...s.querySelectorAll('a, button')].filter(e => {
        const r = e.getBoundingClientRect();
        return r.width && (r.right > Math.min(box.right, window.innerWidth) + 1 || r.left < box.left - 1);
    }).map(e => e.textContent.trim());
    return {id: s.id, left: Math.round(box.left), headingLeft: Math.round(heading.left),
            headingRight: Math.round(heading.right), right: Math.round(box.right), spill};
})"""


@pytest.fixture
def coordinator_home(reference_data, site):
    coordinator = UserFactory(username="coordina", groups=[rules.COORDINATION])
    infoem = Institution.objects.get(acronym="INFOEM")
    publish_post(coordinator, [make_channel("telegram", infoem)], title="Aviso programado",
                 publish_at=timezone.now() + dt.timedelta(days=1))
    return coordinator


@pytest.mark.parametrize("width", [1280, 390])
def test_the_home_panels_line_up_and_keep_their_buttons_on_the_screen(
        browser, live_server, coordinator_home, width):
    """The panels were drawn three ways: «Tablero» and «Programadas» indented past the page's
    heading, «Convenios por vencer» and «Cuadernillos con reforma pendiente» with their
    heading pushed out of the frame to the left; on a phone «Ver el calendario» ran past the
    screen's edge."""
    context = browser.new_context(locale="es-MX", viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        sign_in_to_admin(page, live_server.url, "coordina")
        page.goto(live_server.url + "/admin/")
        title_left = round(page.locator("main h1").first.bounding_box()["x"])
        panels = page.evaluate(PANELS)
        ids = {panel["id"] for panel in panels}
        assert {"enlace-dashboard-section", "enlace-scheduled-section",
                "expiring-agreements-section", "pending-reforms-section"} <= ids, ids
        for panel in panels:
            assert abs(panel["left"] - title_left) <= 1, panel  # one left edge
            assert panel["left"] < panel["headingLeft"] < panel["right"], panel  # inside
            assert panel["right"] <= width, panel
            assert not panel["spill"], panel
        assert page.get_by_role("link", name="Ver el calendario").is_visible()
    finally:
        context.close()
