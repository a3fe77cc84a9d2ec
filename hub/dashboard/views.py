"""The dashboard in the Wagtail admin, its CSV export and the report generation."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail.admin import messages

from hub.charts import bar_chart
from hub.indicators import Section, sections
from hub.safety import spreadsheet_safe

from .reports import generate_report, scope_key
from .rules import can_view_dashboard
from .scope import scope_from_request, scope_label


def refused_with_403(view):
    """A plain 403 in Spanish (Wagtail would turn PermissionDenied into a redirect home,
    which hides from the client that the scope was refused)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied:
            return HttpResponseForbidden(_("No tiene permiso para ver esas cifras."),
                                         content_type="text/plain; charset=utf-8")

    return wrapped


def _scope_asked(request, params):
    """The form and scope the request selects, for a user who may see dashboards at all."""
    if not can_view_dashboard(request.user):
        raise PermissionDenied
    return scope_from_request(request.user, params)


def _charts(section: Section) -> list[dict]:
    return [{"series": s, "chart": bar_chart(s.rows), "id": f"{section.key}-{i}"}
            for i, s in enumerate(section.series)]


@refused_with_403
@require_GET
def dashboard(request):
    form, scope = _scope_asked(request, request.GET)
    context = {"form": form, "scope": scope, "sections": []}
    if scope is not None:
        from ..models.reports import QuarterlyReportPage

        context.update({
            "sections": [{"section": s, "charts": _charts(s)} for s in sections(scope)],
            "scope_label": scope_label(scope),
            "query": request.GET.urlencode(),
            "report": QuarterlyReportPage.objects.filter(scope_key=scope_key(scope)).first(),
        })
    return TemplateResponse(request, "hub/dashboard/dashboard.html", context,
                            status=200 if scope is not None else 400)


def _row(*cells) -> list:
    """Numbers as numbers; any text that a spreadsheet would run as a formula, neutralised."""
    return [cell if isinstance(cell, int | float | Decimal) else
            "" if cell is None else spreadsheet_safe(str(cell)) for cell in cells]


@refused_with_403
@require_GET
def dashboard_csv(request):
    """The figures on the screen, one row per figure or chart value (formula-safe)."""
    form, scope = _scope_asked(request, request.GET)
    if scope is None:
        messages = [str(m) for errors in form.errors.values() for m in errors]
        return HttpResponse("\n".join(messages), status=400,
                            content_type="text/plain; charset=utf-8")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("periodo"), _("ámbito"), _("sección"), _("tipo"), _("serie"),
                     _("concepto"), _("valor"), _("unidad")])
    head = [scope.period.label, scope_label(scope)]
    for section in sections(scope):
        for figure in section.figures:
            writer.writerow(_row(*head, section.title, _("cifra"), "", figure.label,
                                 figure.value, figure.unit))
        for series in section.series:
            for label, value in series.rows:
                writer.writerow(_row(*head, section.title, _("gráfica"), series.title, label,
                                     value, series.unit))
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"tablero-{scope_key(scope)}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@refused_with_403
@require_POST
def generate(request):
    """Create the quarter's report draft (or open the one that exists) and edit it."""
    form, scope = _scope_asked(request, request.POST)
    if scope is None:
        messages.error(request, _("No se generó el informe: revise el periodo y el ámbito."))
        return redirect("enlace_dashboard")
    page, created = generate_report(request.user, scope)
    if created:
        messages.success(request, _("Se generó el borrador «%(title)s». Revíselo, edítelo y "
                                    "envíelo a aprobación.") % {"title": page.title})
    else:
        messages.warning(request, _("Ya existe el informe «%(title)s» para ese trimestre y "
                                    "ámbito; no se generó otro.") % {"title": page.title})
    return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))
