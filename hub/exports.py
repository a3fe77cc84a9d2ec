"""Tables downloaded as CSV or XLSX from staff screens, every cell spreadsheet-safe.

``table_response(filename, header, rows, fmt)`` answers with an attachment: CSV in UTF-8 with
a byte-order mark (so spreadsheet programs read the accents), or an XLSX workbook of one
sheet. Every cell goes through ``hub.safety.spreadsheet_safe`` (a title typed as ``=HYPERLINK(…)``
stays text) and loses control characters an XLSX cannot hold. Nothing here imports an app of
ours: any app may use it.
"""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse

from hub.safety import spreadsheet_safe, strip_control_characters

FORMATS = ("csv", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    if isinstance(value, str):
        return spreadsheet_safe(strip_control_characters(value, multiline=True))
    return value


def table_response(filename: str, header: list[str], rows, fmt: str) -> HttpResponse:
    """``rows`` as a download named ``filename.<fmt>`` (``fmt`` is one of ``FORMATS``)."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([_cell(h) for h in header])
        writer.writerows([_cell(v) for v in row] for row in rows)
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(filename[:31])
        sheet.append([_cell(h) for h in header])
        for row in rows:
            sheet.append([_cell(v) for v in row])
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
