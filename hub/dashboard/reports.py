"""Generating, guarding and printing the quarterly reports (``hub.models.reports``).

``generate_report(actor, scope)`` turns the figures of ``hub.indicators.sections(scope)`` into a
draft page under the reports index: a heading, the section's plain-language summary, its
figures and one chart per series, every value copied into the page (frozen). Side effects: the
index page and the workflow "Informe trimestral" (Coordinación approves) are created when
missing; one page and its first revision are saved. A second call for the same quarter and scope
creates nothing and returns the existing page (``created`` False), even when two run at once
(the scope key is unique).
"""

from __future__ import annotations

import logging
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from hub.indicators import Scope, Section, sections
from hub.roles import COORDINATION

from ..models.reports import QuarterlyReportIndexPage, QuarterlyReportPage
from .rules import can_generate_report
from .scope import scope_label

log = logging.getLogger(__name__)

WORKFLOW = "Informe trimestral"
APPROVAL = "Aprobación de Coordinación"
INDEX_SLUG = "informes-trimestrales"


def scope_key(scope: Scope) -> str:
    period = scope.period
    if scope.institution_id is not None:
        suffix = f"i{scope.institution_id}"
    elif scope.region_id is not None:
        suffix = f"r{scope.region_id}"
    else:
        suffix = "nacional"
    return f"{period.year}-{period.number}-{suffix}"


def ensure_report_workflow(index=None):
    """The workflow "Informe trimestral" (one task: Coordinación approves), assigned to the
    reports index. Idempotent."""
    from django.contrib.auth.models import Group
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

    task = GroupApprovalTask.objects.filter(name=APPROVAL).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=APPROVAL, active=True)
    task.groups.set(Group.objects.filter(name=COORDINATION))
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW,
                                                        defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    if index is not None:
        WorkflowPage.objects.get_or_create(page=index, defaults={"workflow": workflow})
    return workflow


def ensure_reports_index() -> QuarterlyReportIndexPage:
    """The reports index under the home page (created, published, with its workflow)."""
    from hub.models import HomePage

    index = QuarterlyReportIndexPage.objects.first()
    if index is None:
        home = HomePage.objects.first()
        if home is None:
            raise Http404
        index = QuarterlyReportIndexPage(
            title=_("Informes trimestrales"), slug=INDEX_SLUG,
            intro=_("Lo que hizo la Red en cada trimestre, contado en lenguaje ciudadano."))
        home.add_child(instance=index)
        index.save_revision().publish()
    ensure_report_workflow(index)
    return index


def _number(value) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _shown(value, unit: str = "") -> str:
    if value is None:
        return _("sin datos")
    return f"{formats.number_format(value, use_l10n=True, force_grouping=True)}{unit}"


def section_blocks(section: Section) -> list[tuple[str, object]]:
    """The blocks one section becomes: heading, paragraph, figures and frozen charts."""
    found: list[tuple[str, object]] = [("heading", str(section.title))]
    if section.summary:
        found.append(("paragraph", str(section.summary)))
    if section.figures:
        found.append(("figures", [
            {"label": str(f.label)[:200], "value": _shown(f.value, f.suffix)[:40],
             "note": str(f.note)[:200]} for f in section.figures]))
    for series in (s for s in section.series if s.rows):  # an empty chart says nothing
        found.append(("chart", {
            "title": str(series.title)[:200], "unit": str(series.unit)[:20],
            "rows": [{"label": str(label)[:200], "value": _number(value)}
                     for label, value in series.rows]}))
    return found


def generate_report(actor, scope: Scope) -> tuple[QuarterlyReportPage, bool]:
    """The report draft of ``scope`` (see the module's docstring); refused (PermissionDenied)
    when ``actor`` may not see that scope."""
    if not can_generate_report(actor, scope):
        raise PermissionDenied
    key = scope_key(scope)
    existing = QuarterlyReportPage.objects.filter(scope_key=key).first()
    if existing is not None:
        return existing, False
    # The report (and its index, made on first use) is a public page for Mexico's citizens:
    # written in the site's language (Spanish) whatever language the person generating it
    # works in.
    with translation.override(settings.LANGUAGE_CODE):
        index = ensure_reports_index()
        label = scope_label(scope)
        body = []
        for section in sections(scope):
            body += section_blocks(section)
        page = QuarterlyReportPage(
            title=_("Informe del %(period)s — %(scope)s") % {"period": scope.period.label,
                                                              "scope": label},
            slug=key, year=scope.period.year, quarter=scope.period.number,
            institution_id=scope.institution_id, region_id=scope.region_id, scope_key=key,
            generated_at=timezone.now(), live=False, owner=actor,
            intro=_("Este informe resume, en lenguaje claro, lo que hizo la Red de Vinculación "
                    "durante el %(period)s (%(start)s al %(end)s). Las cifras se tomaron el "
                    "%(today)s y no cambian después.") % {
                "period": scope.period.label,
                "start": formats.date_format(scope.period.start, "DATE_FORMAT"),
                "end": formats.date_format(scope.period.end, "DATE_FORMAT"),
                "today": formats.date_format(timezone.localdate(), "DATE_FORMAT")},
            body=body,
        )
    try:
        with transaction.atomic():
            index.add_child(instance=page)
            page.save_revision(user=actor, log_action=True)
    except (IntegrityError, ValidationError):
        # A second click while the first was generating: Wagtail's slug check (ValidationError)
        # or the unique scope key (IntegrityError) refuses it; answer with the first one's page.
        existing = QuarterlyReportPage.objects.filter(scope_key=key).first()
        if existing is None:
            raise
        return existing, False
    return page, True


def print_html(page: QuarterlyReportPage) -> str:
    return render_to_string("hub/reports/quarterly_report_print.html", {"page": page})


def pdf_response(page: QuarterlyReportPage, request) -> HttpResponse:
    """The published report as PDF (made once per published revision, then cached)."""
    from publications.domain.files import FileJobError, render_pdf

    if not page.live:
        raise Http404
    key = f"enlace:quarterly-pdf:{page.pk}:{page.live_revision_id}"
    data = cache.get(key)
    if data is None:
        try:
            data = render_pdf(print_html(page)).data
        except FileJobError as exc:
            log.error("Quarterly report %s: PDF not made: %s", page.pk, exc.message)
            return HttpResponse(exc.message, status=503, content_type="text/plain; charset=utf-8")
        cache.set(key, data, 60 * 60 * 24)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{page.pdf_filename()}"'
    return response
