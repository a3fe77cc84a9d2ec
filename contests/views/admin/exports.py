"""Exports of a call for staff: entries and reviews, as CSV or XLSX.

Every cell goes through ``spreadsheet_cell``: formulas typed by entrants are neutralised, and
characters a spreadsheet cannot hold (control characters stored before input refused them)
are dropped, so an export never fails."""

from __future__ import annotations

import csv
import io

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone

from contests.domain import results
from contests.models import Entry
from contests.text import spreadsheet_cell

from .common import get_call, require

EXPORTS = {"participaciones", "evaluaciones"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export(request, call_id: int, what: str, fmt: str):
    require(request, "contests.manage")
    call = get_call(call_id)
    if what not in EXPORTS or fmt not in ("csv", "xlsx"):
        raise PermissionDenied
    personal = request.user.has_perm("contests.see_entrant_data")
    header, rows = _entries_table(call, personal=personal) if what == "participaciones" \
        else _reviews_table(call)
    filename = f"{call.slug}-{what}.{fmt}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([spreadsheet_cell(h) for h in header])  # criteria names are typed
        writer.writerows([spreadsheet_cell(v) for v in row] for row in rows)
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(what)
        sheet.append([spreadsheet_cell(h) for h in header])
        for row in rows:
            sheet.append([spreadsheet_cell(v) for v in row])
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _local(moment):
    """Spreadsheets sort ISO-like dates: yyyy-mm-dd hh:mm:ss, Mexico City time."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def _entries_table(call, *, personal: bool):
    header = ["folio", "categoria", "estado", "titulo", "tema", "enlace", "enviada", "archivos",
              "sha256"]
    if personal:
        header += ["nombre", "correo", "entidad", "escuela", "nivel", "menor_de_edad", "coautores"]
    rows = []
    for e in (Entry.objects.filter(call=call).select_related("category", "owner__entrant_profile")
              .prefetch_related("files", "coauthors").order_by("category__sort_order", "folio")):
        files = list(e.files.all())
        row = [e.folio or "", e.category.name, e.get_status_display(), e.title, e.theme, e.link,
               _local(e.submitted_at), "; ".join(f.original_name for f in files),
               "; ".join(f.sha256 for f in files)]
        if personal:
            p = getattr(e.owner, "entrant_profile", None)
            row += [p.full_name if p else "", e.owner.email, p.get_state_display() if p else "",
                    p.school if p else "", p.get_education_level_display() if p else "",
                    ("sí" if p.is_minor else "no") if p else "",
                    "; ".join(f"{c.name} <{c.email}>" for c in e.coauthors.all())]
        rows.append(row)
    return header, rows


def _reviews_table(call):
    criteria = list(call.criteria.all())
    header = ["folio", "categoria", "jurado", "abstencion"] + [c.name for c in criteria] + [
        "total_0_100", "comentario", "actualizada"]
    rows = []
    for r in (results.counted_reviews(call).select_related("entry__category", "juror")
              .order_by("entry__folio", "juror__email")):
        rows.append([r.entry.folio, r.entry.category.name, r.juror.email, "sí" if r.abstained else "no"]
                    + [r.scores.get(str(c.pk), "") for c in criteria]
                    + [_blank_if_none(results.review_total(r, criteria)), r.comment, _local(r.updated_at)])
    return header, rows


def _blank_if_none(value):
    """A score of 0 is a score: only a missing one is left blank."""
    return "" if value is None else value
