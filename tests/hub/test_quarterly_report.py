"""The quarterly report: generated from a quarter's figures into a draft, frozen, approved by
Coordinación through the workflow, published and downloaded as PDF."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from pypdf import PdfReader
from wagtail import hooks

from hub.dashboard.reports import generate_report, scope_key
from hub.indicators import INDICATORS_HOOK, Figure, Period, Scope, Section, Series
from hub.models import QuarterlyReportPage
from network import rules
from tests.factories import StaffProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

FIGURES = {"value": 42}


def _provider(scope):
    return Section("reach", "Alcance en redes", order=0,
                   figures=[Figure("Publicaciones difundidas", FIGURES["value"])],
                   series=[Series("Envíos por red social", [("Telegram", FIGURES["value"]),
                                                            ("X", None)])],
                   summary="La Red difundió muchas publicaciones.")


@pytest.fixture
def provider():
    FIGURES["value"] = 42
    with hooks.register_temporarily(INDICATORS_HOOK, _provider):
        yield


PERIOD = Period.quarter(2026, 3)


def _blocks(page):
    return [(b.block_type, b.value) for b in page.body]


def test_coordinator_generates_a_national_draft_from_the_sections(site, coordinator, provider):
    page, created = generate_report(coordinator, Scope(PERIOD))
    assert created and not page.live and page.has_unpublished_changes
    assert page.scope_key == "2026-3-nacional"
    assert "3º trimestre de 2026" in page.title and "Nacional" in page.title
    kinds = [kind for kind, _value in _blocks(page)]
    assert "heading" in kinds and "paragraph" in kinds and "figures" in kinds and "chart" in kinds
    paragraph = next(v for k, v in _blocks(page) if k == "paragraph"
                     and "muchas publicaciones" in v)
    assert paragraph == "La Red difundió muchas publicaciones."
    assert page.get_parent().specific.__class__.__name__ == "QuarterlyReportIndexPage"
    assert page.get_latest_revision().user == coordinator


def test_generating_twice_for_the_same_quarter_and_scope_opens_the_same_draft(
        site, coordinator, provider):
    first, created = generate_report(coordinator, Scope(PERIOD))
    second, created_again = generate_report(coordinator, Scope(PERIOD))
    assert created and not created_again and first.pk == second.pk
    assert QuarterlyReportPage.objects.count() == 1


def test_chart_values_are_frozen_at_generation(site, coordinator, provider):
    page, _created = generate_report(coordinator, Scope(PERIOD))
    FIGURES["value"] = 999
    page = QuarterlyReportPage.objects.get(pk=page.pk)
    chart = next(v for k, v in _blocks(page) if k == "chart")
    assert [(r["label"], r["value"]) for r in chart["rows"]] == [("Telegram", 42), ("X", None)]
    figures = next(v for k, v in _blocks(page) if k == "figures")
    assert figures[0]["value"] == "42"


def test_officer_generates_only_their_institution_report(site, officer, infoem, itei,
                                                         provider):
    page, created = generate_report(officer, Scope(PERIOD, institution_id=infoem.pk))
    assert created and page.institution_id == infoem.pk
    with pytest.raises(PermissionDenied):
        generate_report(officer, Scope(PERIOD, institution_id=itei.pk))
    with pytest.raises(PermissionDenied):
        generate_report(officer, Scope(PERIOD))
    with pytest.raises(PermissionDenied):
        generate_report(officer, Scope(PERIOD, region_id=infoem.region_id))
    editor = UserFactory(groups=[rules.EDITORIAL])
    with pytest.raises(PermissionDenied):
        generate_report(editor, Scope(PERIOD))


def test_generate_view_makes_the_draft_and_refuses_a_second_one(site, coordinator_client,
                                                                provider):
    response = coordinator_client.post("/admin/tablero/informe/", {"year": 2026, "quarter": 3})
    page = QuarterlyReportPage.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/admin/pages/{page.pk}/edit/"
    again = coordinator_client.post("/admin/tablero/informe/", {"year": 2026, "quarter": 3},
                                    follow=True)
    assert "Ya existe el informe" in again.content.decode()
    assert QuarterlyReportPage.objects.count() == 1


def test_generate_view_with_bad_input_changes_nothing(site, coordinator_client, provider):
    for data in ({"year": "abc", "quarter": 3}, {"year": 2026, "quarter": 9},
                 {"year": 2026, "quarter": 3, "institution": str(2**63)}):
        response = coordinator_client.post("/admin/tablero/informe/", data, follow=True)
        assert "No se generó el informe" in response.content.decode()
    assert not QuarterlyReportPage.objects.exists()


def test_officer_cannot_edit_another_institution_report(site, coordinator, officer_client,
                                                        itei, infoem, provider):
    theirs, _created = generate_report(coordinator, Scope(PERIOD, institution_id=itei.pk))
    national, _created = generate_report(coordinator, Scope(PERIOD))
    for page in (theirs, national):
        response = officer_client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code in (302, 403)
        assert response.status_code == 403 or response["Location"] != f"/admin/pages/{page.pk}/edit/"
    index = theirs.get_parent()
    listed = officer_client.get(f"/admin/pages/{index.pk}/").content.decode()
    assert theirs.title not in listed and national.title not in listed
    chooser = officer_client.get(f"/admin/choose-page/{index.pk}/").content.decode()
    assert theirs.title not in chooser
    own_officer = UserFactory(groups=[rules.COMMUNICATIONS])
    StaffProfileFactory(user=own_officer, institution=itei)
    officer_client.force_login(own_officer)
    assert officer_client.get(f"/admin/pages/{theirs.pk}/edit/").status_code == 200
    assert theirs.title in officer_client.get(f"/admin/pages/{index.pk}/").content.decode()


def _approve(page, submitter, approver):
    workflow = page.get_workflow()
    assert workflow is not None and workflow.name == "Informe trimestral"
    workflow.start(page, submitter)
    page.refresh_from_db()
    state = page.current_workflow_task_state
    assert state.task.specific.groups.filter(name=rules.COORDINATION).exists()
    state.task.specific.on_action(state, approver, "approve")
    page.refresh_from_db()


def test_report_goes_through_coordination_approval_and_prints_as_pdf(
        site, coordinator, officer, infoem, client, provider):
    page, _created = generate_report(officer, Scope(PERIOD, institution_id=infoem.pk))
    assert client.get(page.url + "pdf/").status_code == 404  # a draft prints nothing
    state = page.get_workflow()
    assert state is not None
    _approve(page, officer, coordinator)
    assert page.live
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "La Red difundió muchas publicaciones." in html and "<svg" in html
    assert "Descargar el informe en PDF" in html
    pdf = client.get(page.url + "pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert f"informe-trimestral-{scope_key(Scope(PERIOD, institution_id=infoem.pk))}.pdf" in \
        pdf["Content-Disposition"]
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "La Red difundió muchas publicaciones." in text
    assert "Envíos por red social" in text and "42" in text
    assert "3º trimestre de 2026" in text


def test_officer_cannot_approve_the_report(site, officer, infoem, provider):
    page, _created = generate_report(officer, Scope(PERIOD, institution_id=infoem.pk))
    page.get_workflow().start(page, officer)
    page.refresh_from_db()
    state = page.current_workflow_task_state
    actions = [name for name, *_rest in state.task.specific.get_actions(page, officer)]
    assert "approve" not in actions


def test_index_lists_only_published_reports(site, coordinator, client, provider):
    page, _created = generate_report(coordinator, Scope(PERIOD))
    index = page.get_parent()
    assert page.title not in client.get(index.url).content.decode()
    page.get_latest_revision().publish()
    assert page.title in client.get(index.url).content.decode()


def test_reports_are_not_made_by_hand_nor_copied(site, coordinator, coordinator_client,
                                                 provider):
    page, _created = generate_report(coordinator, Scope(PERIOD))
    index = page.get_parent()
    response = coordinator_client.get(
        f"/admin/pages/add/hub/quarterlyreportpage/{index.pk}/")
    assert response.status_code in (302, 403, 404)
    response = coordinator_client.post(f"/admin/pages/{page.pk}/copy/",
                                       {"new_title": "Copia", "new_slug": "copia",
                                        "new_parent_page": index.pk}, follow=True)
    assert "no se copia" in response.content.decode()
    assert QuarterlyReportPage.objects.count() == 1


def test_a_series_without_rows_makes_no_chart(site, coordinator):
    def empty(scope):
        return Section("empty", "Sin datos todavía", order=0,
                       series=[Series("Serie vacía", [])], summary="Nada que contar.")

    with hooks.register_temporarily(INDICATORS_HOOK, empty):
        page, _created = generate_report(coordinator, Scope(PERIOD))
    titles = [v["title"] for k, v in _blocks(page) if k == "chart"]
    assert "Serie vacía" not in titles
    assert ("paragraph", "Nada que contar.") in _blocks(page)


def test_officer_cannot_delete_move_or_bulk_delete_another_institution_report(
        site, coordinator, officer_client, itei, provider):
    theirs, _created = generate_report(coordinator, Scope(PERIOD, institution_id=itei.pk))
    for url in (f"/admin/pages/{theirs.pk}/delete/",
                f"/admin/pages/{theirs.pk}/move/{site.pk}/confirm/",
                f"/admin/bulk/wagtailcore/page/delete/?id={theirs.pk}"):
        response = officer_client.post(url)
        assert response.status_code in (302, 403), url
        assert QuarterlyReportPage.objects.filter(pk=theirs.pk).exists(), url
    theirs.refresh_from_db()
    assert theirs.get_parent().specific_class is not type(site.specific)  # not moved


def test_officer_cannot_read_another_institution_report_through_any_page_admin_view(
        site, coordinator, officer_client, officer, itei, infoem, provider):
    theirs, _created = generate_report(coordinator, Scope(PERIOD, institution_id=itei.pk))
    revision = theirs.latest_revision
    urls = [f"/admin/pages/{theirs.pk}/revisions/{revision.pk}/view/",
            f"/admin/pages/{theirs.pk}/revisions/",
            f"/admin/pages/{theirs.pk}/revisions/compare/earliest...{revision.pk}/",
            f"/admin/pages/{theirs.pk}/history/",
            f"/admin/pages/{theirs.pk}/view_draft/",
            f"/admin/pages/{theirs.pk}/edit/preview/",
            f"/admin/pages/{theirs.pk}/workflow_history/",
            f"/admin/pages/{theirs.pk}/usage/",
            f"/admin/pages/{theirs.pk}/",
            f"/admin/pages/{theirs.pk}/privacy/"]
    for url in urls:
        response = officer_client.get(url)
        assert response.status_code in (302, 403), url
        assert theirs.title not in response.content.decode(), url
    assert officer_client.post(f"/admin/pages/{theirs.pk}/lock/").status_code in (302, 403)
    theirs.refresh_from_db()
    assert not theirs.locked
    # Their own institution's report stays readable through the same views.
    own, _created = generate_report(officer, Scope(PERIOD, institution_id=infoem.pk))
    own_revision = own.latest_revision
    response = officer_client.get(f"/admin/pages/{own.pk}/revisions/{own_revision.pk}/view/")
    assert response.status_code == 200
    assert officer_client.get(f"/admin/pages/{own.pk}/history/").status_code == 200


def test_a_coordinator_working_in_english_generates_the_public_report_in_spanish(
        site, coordinator_client):
    """A coordinator who had chosen English pressed *Generar el informe trimestral en lenguaje
    ciudadano* and got «Report for Q3 2026 — National», its headings, summaries and figures in
    English: the public page for Mexico's citizens, on a Spanish site, read in English."""
    coordinator_client.cookies["django_language"] = "en"
    response = coordinator_client.post("/admin/tablero/informe/", {"year": 2026, "quarter": 3},
                                       follow=True)
    assert "was generated" in response.content.decode()  # the person's own message: English
    page = QuarterlyReportPage.objects.get()
    assert page.title == "Informe del 3º trimestre de 2026 — Nacional"
    assert page.intro.startswith("Este informe resume")
    headings = [v for k, v in _blocks(page) if k == "heading"]
    assert "Publicaciones en redes sociales" in headings and "Social media posts" not in headings
