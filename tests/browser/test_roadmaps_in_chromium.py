"""From an agreement with a municipality to its roadmap, an overdue milestone and the reminder
e-mail, in real headless Chromium. Time is moved by the dates in the data (no clock library
is installed): the agreement started 40 days ago and the roadmap is started on that day (the
start date offered is today), so its first milestone (1 month) is overdue.
"""

import datetime as dt
import importlib

import pytest
from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.core import mail
from django.utils import timezone

from network.domain.roadmaps import send_milestone_reminders
from network.enums import MilestoneStatus
from network.models import Institution, Milestone, Roadmap
from tests.browser.conftest import assert_accessible, sign_in_to_admin
from tests.factories import AgreementFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalogue(reference_data):
    """The tools the data migration loads (a transactional test flushes them)."""
    importlib.import_module("network.migrations.0005_roadmap_catalogue").load(apps, None)


def test_agreement_to_roadmap_to_overdue_milestone_to_reminder(
        page, browser, live_server, reference_data, site, catalogue):
    infoem = Institution.objects.get(acronym="INFOEM")
    counterpart = PersonFactory(name="Laura Municipal", institution=None,
                                email="laura@metepec.example")
    start = timezone.localdate() - dt.timedelta(days=40)
    agreement = AgreementFactory(
        title="Convenio INFOEM – Metepec", municipality="Metepec", municipality_state="MEX",
        signed_on=start, valid_from=start, valid_until=start + relativedelta(years=3),
        institutions=[infoem], responsible=[counterpart])
    UserFactory(username="coordina", groups=["Coordinación"])

    sign_in_to_admin(page, live_server.url, "coordina")

    # The agreement with a municipality is offered for a roadmap; start it.
    page.goto(live_server.url + "/admin/red/hojas-de-ruta/")
    assert "Convenios con municipios sin hoja de ruta" in page.content()
    with page.expect_navigation():
        page.click(f"a[href='/admin/red/hojas-de-ruta/iniciar/{agreement.pk}/']")
    assert page.input_value("#id_starts_on") == timezone.localdate().isoformat()
    page.fill("#id_starts_on", start.isoformat())
    page.fill("#id_project_months", "12")
    with page.expect_navigation():
        page.click("#roadmap-start-submit")
    roadmap = Roadmap.objects.get(agreement=agreement)
    assert page.url == live_server.url + f"/admin/red/hojas-de-ruta/{roadmap.pk}/"
    assert "Hoja de ruta iniciada: 16 hitos fechados." in page.content()
    # The convenio's month is over and it is not concluded: flagged in the admin list.
    assert page.locator("tr.milestone-overdue").count() == 1
    assert "Vencido" in page.locator("tr.milestone-overdue").inner_text()
    page.goto(live_server.url + "/admin/red/hojas-de-ruta/")
    assert "1 vencido" in page.content()

    # The beat job reminds the counterpart once.
    assert send_milestone_reminders() == 1
    assert send_milestone_reminders() == 0
    [message] = mail.outbox
    assert message.to == ["laura@metepec.example"]
    assert message.subject == ("Hito vencido de la hoja de ruta de Metepec: "
                               "Convenio de colaboración")
    assert "Le pedimos registrar el avance" in message.body

    # The public page shows it overdue, fits 360 px and passes axe.
    mobile = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                 locale="es-MX")
    public = mobile.new_page()
    try:
        public.goto(live_server.url + roadmap.get_absolute_url())
        assert "Hoja de ruta de Metepec" in public.content()
        assert public.locator(".milestone-overdue").count() == 1
        assert public.evaluate("document.documentElement.scrollWidth") <= 360
        assert_accessible(public)
        public.goto(live_server.url + "/hojas-de-ruta/")
        assert "Por región" in public.content()
        assert public.evaluate("document.documentElement.scrollWidth") <= 360
        assert_accessible(public)
    finally:
        mobile.close()

    # The party records it as concluded with its evidence; it is no longer overdue.
    convenio = Milestone.objects.get(roadmap=roadmap, tool__name="Convenio de colaboración")
    page.goto(live_server.url + f"/admin/red/hojas-de-ruta/hito/{convenio.pk}/")
    page.select_option("#id_status", MilestoneStatus.DONE)
    with page.expect_navigation():
        page.click("#milestone-submit")
    assert "agregue la evidencia" in page.content()
    page.fill("#id_evidence_url", "https://metepec.gob.mx/convenio-firmado.pdf")
    with page.expect_navigation():
        page.click("#milestone-submit")
    assert page.locator("tr.milestone-overdue").count() == 0
    convenio.refresh_from_db()
    assert convenio.status == MilestoneStatus.DONE
    assert send_milestone_reminders() == 0
