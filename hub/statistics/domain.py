"""Quarterly statistics: the template's fields, validation, and the upload in two steps.

``preview_upload`` reads a CSV/XLSX file with the network import's reader
(``network.domain.imports.read_table``), validates every row and stores the result as a
``StatisticsImport``; nothing else changes. ``apply_upload`` writes a batch without errors,
every row or none, exactly once. The admin form and the upload use the same field builders
(``figure_field``), so a figure is valid or not whichever way it arrives.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hub.models.statistics import (
    FIRST_YEAR,
    STANDARD_FIGURES,
    QuarterlyReport,
    StatisticField,
    StatisticsImport,
    quarter_code,
)
from hub.safety import spreadsheet_safe
from hub.statistics import rules
from hub.statistics.enums import FigureKind, ReportSource
from network.domain.imports import ImportFileError, read_table
from network.enums import ImportStatus
from network.models import Institution

__all__ = ["ImportFileError", "ReportsChangedSincePreview", "UploadAlreadyApplied", "apply_upload",
           "preview_upload"]

MAX_INTEGER = 2_000_000_000
MAX_DECIMAL = Decimal("999999999999.99")
MAX_CELL = 200  # characters of a bad value kept in the error report
_QUARTER = re.compile(r"^(\d{4})\s*[-/ ]?\s*[TtQq]?\s*([1-4])$")
_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")


# ---------------------------------------------------------------------------------------------
# Quarters

def current_quarter(today=None) -> tuple[int, int]:
    today = today or timezone.localdate()
    return today.year, (today.month - 1) // 3 + 1


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def parse_quarter(text: str) -> tuple[int, int]:
    """``2026-T1`` (also ``2026T1``, ``2026-1``, ``2026 T1``) as (2026, 1); refuses the rest,
    quarters before the SNT existed and quarters that have not started."""
    found = _QUARTER.match(str(text or "").strip())
    if not found:
        raise ValidationError(
            _("«%(value)s» no es un trimestre válido. Escríbalo así: 2026-T1.")
            % {"value": str(text)[:MAX_CELL]})
    year, quarter = int(found[1]), int(found[2])
    if year < FIRST_YEAR:
        raise ValidationError(_("El trimestre es anterior a %(year)s.") % {"year": FIRST_YEAR})
    if (year, quarter) > current_quarter():
        raise ValidationError(_("El trimestre %(code)s aún no empieza.")
                              % {"code": quarter_code(year, quarter)})
    return year, quarter


class QuarterField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        return parse_quarter(value) if value not in self.empty_values else None


# ---------------------------------------------------------------------------------------------
# Figures

REQUIRED = {"required": gettext_lazy("Este campo es obligatorio.")}


class FigureField(forms.Field):
    """A non-negative (or ``minimum``-bounded) integer or decimal, as typed or from a sheet."""

    default_error_messages = REQUIRED

    def __init__(self, *, kind: str = FigureKind.INTEGER, minimum: Decimal | None = Decimal(0),
                 **kwargs):
        super().__init__(**kwargs)
        self.kind = kind
        self.minimum = minimum
        self.widget.attrs.setdefault("inputmode", "numeric" if kind == FigureKind.INTEGER
                                     else "decimal")

    def to_python(self, value):
        if value is None or isinstance(value, bool):
            return None
        text = str(value).strip().replace("\u00a0", "").replace(" ", "")
        if text in self.empty_values:
            return None
        if _THOUSANDS.match(text):
            text = text.replace(",", "")
        try:
            number = Decimal(text)
        except (InvalidOperation, ValueError):
            raise ValidationError(_("«%(value)s» no es un número.")
                                  % {"value": str(value)[:MAX_CELL]}) from None
        if not number.is_finite():
            raise ValidationError(_("«%(value)s» no es un número.")
                                  % {"value": str(value)[:MAX_CELL]})
        # copy_abs() never rounds: abs() overflows the decimal context on 1E+999999999.
        limit = MAX_INTEGER if self.kind == FigureKind.INTEGER else MAX_DECIMAL
        if number.copy_abs() > limit:
            raise ValidationError(_("El número es demasiado grande."))
        if self.kind == FigureKind.INTEGER:
            if number != number.to_integral_value():
                raise ValidationError(_("Escriba un número entero, sin decimales."))
            return int(number)
        return number.quantize(Decimal("0.01"))

    def validate(self, value):
        super().validate(value)
        if value is not None and self.minimum is not None and value < self.minimum:
            if self.minimum == 0:
                raise ValidationError(_("No puede ser negativo."))
            raise ValidationError(_("Debe ser al menos %(min)s.") % {"min": self.minimum.normalize()})


def standard_field(label) -> FigureField:
    return FigureField(label=label, required=True)


def figure_field(definition: StatisticField, *, required: bool | None = None) -> FigureField:
    label = definition.label + (f" ({definition.unit})" if definition.unit else "")
    return FigureField(label=label, kind=definition.kind, minimum=definition.minimum,
                       required=definition.required if required is None else required,
                       help_text=definition.description)


def active_definitions() -> list[StatisticField]:
    return list(StatisticField.objects.active())


def stored_value(definition: StatisticField, value):
    """A cleaned figure as kept in ``QuarterlyReport.extra`` (decimals as exact strings)."""
    if value is None:
        return None
    return int(value) if definition.kind == FigureKind.INTEGER else str(value)


def validate_on_time(cleaned: dict, add_error, received: str, on_time: str) -> None:
    r, t = cleaned.get(received), cleaned.get(on_time)
    if r is not None and t is not None and t > r:
        add_error(on_time, _("Las solicitudes respondidas en tiempo (%(t)s) no pueden ser más "
                             "que las recibidas (%(r)s).") % {"t": t, "r": r})


# ---------------------------------------------------------------------------------------------
# Upload

STANDARD_COLUMNS = tuple(column for _f, column, _l, _u in STANDARD_FIGURES)


def template_columns(definitions: list[StatisticField]) -> list[str]:
    return ["siglas", "trimestre", *STANDARD_COLUMNS, *(d.key for d in definitions),
            "observaciones"]


def required_columns(definitions: list[StatisticField]) -> list[str]:
    return ["siglas", "trimestre", *STANDARD_COLUMNS, *(d.key for d in definitions if d.required)]


class RowForm(forms.Form):
    siglas = forms.CharField(max_length=30, error_messages=REQUIRED)
    trimestre = QuarterField(max_length=20, error_messages=REQUIRED)
    observaciones = forms.CharField(max_length=1000, required=False)

    def __init__(self, *args, definitions, institutions: dict[str, int], only: int | None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        for _f, column, label, _u in STANDARD_FIGURES:
            self.fields[column] = standard_field(label)
        for definition in definitions:
            self.fields[definition.key] = figure_field(definition)
        self.institutions = institutions
        self.only = only

    def clean_observaciones(self):
        """The CSV template writes a note a spreadsheet would run with an apostrophe before it
        (``spreadsheet_safe``); the same file sent back stores the note as it was."""
        notes = self.cleaned_data["observaciones"]
        if notes.startswith("'") and spreadsheet_safe(notes[1:]) == notes:
            return notes[1:]
        return notes

    def clean_siglas(self):
        acronym = self.cleaned_data["siglas"].strip()
        pk = self.institutions.get(acronym.lower())
        if pk is None:
            raise ValidationError(_("No existe una institución con las siglas «%(acronym)s».")
                                  % {"acronym": acronym})
        if self.only is not None and pk != self.only:
            raise ValidationError(_("Solo puede enviar las cifras de su propia institución."))
        return acronym

    def clean(self):
        data = super().clean()
        validate_on_time(data, self.add_error, "solicitudes_recibidas", "solicitudes_en_tiempo")
        return data


class UploadAlreadyApplied(Exception):
    pass


def _row_errors(number: int, row: dict, form: forms.Form) -> list[dict]:
    return [{"row": number, "field": field if field != "__all__" else "",
             "value": str(row.get(field, ""))[:MAX_CELL], "message": str(message)}
            for field, messages in form.errors.items() for message in messages]


def preview_upload(*, uploaded, actor) -> StatisticsImport:
    """Parse and validate a file of quarterly figures; store what it would do.

    Side effects: one ``StatisticsImport`` row (with its rows or its errors). No report changes.
    Raises ``ImportFileError`` when the file as a whole cannot be read, ``PermissionDenied``
    when the actor may not submit statistics."""
    if not rules.can_submit_statistics(actor):
        raise PermissionDenied
    only = rules.submitter_institution_id(actor)
    table = read_table(uploaded)
    header, rows = table[0], table[1:]
    definitions = active_definitions()
    missing = [c for c in required_columns(definitions) if c not in header]
    if missing:
        raise ImportFileError(_("Faltan columnas obligatorias: %(cols)s. Descargue la plantilla.")
                              % {"cols": ", ".join(missing)})
    institutions = {a.lower(): pk for pk, a in Institution.objects.values_list("pk", "acronym")}
    existing = _report_versions()
    cleaned, errors, seen = [], [], {}
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        form = RowForm(data=row, definitions=definitions, institutions=institutions, only=only)
        if not form.is_valid():
            errors.extend(_row_errors(number, row, form))
            continue
        data = form.cleaned_data
        institution_id = institutions[data["siglas"].lower()]
        year, quarter = data["trimestre"]
        key = (institution_id, year, quarter)
        if key in seen:
            errors.append({"row": number, "field": "", "value": "",
                           "message": _("Fila repetida: la misma institución y trimestre que la "
                                        "fila %(row)s.") % {"row": seen[key]}})
            continue
        seen[key] = number
        cleaned.append({
            "_row": number, "_action": "update" if key in existing else "create",
            "_version": existing.get(key, ""),
            "institution_id": institution_id, "siglas": data["siglas"],
            "year": year, "quarter": quarter, "trimestre": quarter_code(year, quarter),
            **{c: data[c] for c in STANDARD_COLUMNS},
            "extra": {d.key: stored_value(d, data.get(d.key)) for d in definitions
                      if d.key in header},
            "observaciones": data["observaciones"],
        })
    return StatisticsImport.objects.create(
        filename=(uploaded.name or "archivo")[-255:],
        rows=cleaned if not errors else [], errors=errors,
        columns=template_columns(definitions),
        status=ImportStatus.REJECTED if errors else ImportStatus.PREVIEW,
        institution_id=only, created_by=actor if getattr(actor, "pk", None) else None,
    )


def _report_versions(reports=None) -> dict[tuple[int, int, int], str]:
    """``(institution_id, year, quarter) → last change`` of the reports, to tell at confirm time
    which ones someone changed after the preview."""
    reports = QuarterlyReport.objects.all() if reports is None else reports
    return {(i, y, q): changed.isoformat() for i, y, q, changed in
            reports.values_list("institution_id", "year", "quarter", "updated_at")}


class ReportsChangedSincePreview(ValidationError):
    pass


def apply_upload(*, batch_id: int, actor) -> StatisticsImport:
    """Write a previewed batch: every row or none, and only once.

    Side effects: creates or updates ``QuarterlyReport`` rows (purging the page cache through
    their save signals); marks the batch applied. Raises ``UploadAlreadyApplied`` for a batch
    that is not in preview, ``PermissionDenied`` if a row's institution is outside the actor's
    scope, ``ValidationError`` if a row no longer validates (nothing is written then).
    A report created or changed by someone else after the preview is not overwritten: nothing
    is written, the batch's preview is brought up to date (so that confirming again replaces
    them knowingly) and ``ReportsChangedSincePreview`` names them."""
    with transaction.atomic():
        batch = rules.scope_imports(actor, StatisticsImport.objects.all()).filter(
            pk=batch_id).first()
        if batch is None:
            raise PermissionDenied
        changed = _changed_since_preview(batch)
        if not changed:
            return _write_upload(batch, actor)
    raise ReportsChangedSincePreview(
        _("Mientras revisaba la vista previa, otra persona cambió estos informes: %(reports)s. "
          "Revise la vista previa de nuevo; si confirma, los reemplazará.")
        % {"reports": ", ".join(changed)})


def _changed_since_preview(batch) -> list[str]:
    """Names (``INFOEM 2025-T1``) of the reports changed after the batch's preview, which is
    then updated to show them as they are now. Locks the batch's reports."""
    if batch.status != ImportStatus.PREVIEW:
        return []
    keys = {(r["institution_id"], r["year"], r["quarter"]) for r in batch.rows}
    reports = QuarterlyReport.objects.select_for_update().filter(
        institution_id__in={k[0] for k in keys}, year__in={k[1] for k in keys})
    now = _report_versions(reports)
    changed = [r for r in batch.rows if "_version" in r  # batches previewed before versions
               and now.get((r["institution_id"], r["year"], r["quarter"]), "") != r["_version"]]
    if not changed:
        return []
    acronyms = dict(Institution.objects.filter(
        pk__in={r["institution_id"] for r in changed}).values_list("pk", "acronym"))
    for row in batch.rows:
        version = now.get((row["institution_id"], row["year"], row["quarter"]), "")
        row["_version"], row["_action"] = version, "update" if version else "create"
    StatisticsImport.objects.filter(pk=batch.pk, status=ImportStatus.PREVIEW).update(
        rows=batch.rows)
    return [f"{acronyms[r['institution_id']]} {r['trimestre']}" for r in changed]


def _write_upload(batch, actor) -> StatisticsImport:
    batch_id = batch.pk
    claimed = StatisticsImport.objects.filter(pk=batch_id, status=ImportStatus.PREVIEW).update(
        status=ImportStatus.APPLIED, applied_at=timezone.now())
    if not claimed:
        raise UploadAlreadyApplied
    fields = {f: column for f, column, _l, _u in STANDARD_FIGURES}
    created = updated = 0
    try:
        for data in batch.rows:
            if not rules.can_submit_for(actor, data["institution_id"]):
                raise PermissionDenied
            report = QuarterlyReport.objects.select_for_update().filter(
                institution_id=data["institution_id"], year=data["year"],
                quarter=data["quarter"]).first()
            is_new = report is None
            report = report or QuarterlyReport(institution_id=data["institution_id"],
                                               year=data["year"], quarter=data["quarter"])
            for field, column in fields.items():
                setattr(report, field, data[column])
            extra = dict(report.extra or {})
            for key, value in data["extra"].items():
                if value is None:
                    extra.pop(key, None)
                else:
                    extra[key] = value
            report.extra = extra
            report.notes = data["observaciones"]
            report.source = ReportSource.UPLOAD
            report.updated_by = actor if getattr(actor, "pk", None) else None
            report.full_clean()
            report.save()
            created += is_new
            updated += not is_new
    except IntegrityError as exc:  # a report typed in the admin meanwhile
        raise ValidationError(_("Otra persona guardó un informe del mismo trimestre mientras "
                                "tanto; vuelva a subir el archivo.")) from exc
    batch.status, batch.created_count, batch.updated_count = ImportStatus.APPLIED, created, updated
    StatisticsImport.objects.filter(pk=batch.pk).update(created_count=created,
                                                         updated_count=updated)
    return batch


def template_rows(actor, year: int, quarter: int) -> tuple[list[str], list[list]]:
    """The downloadable template: one row per current institution (Coordinación) or the
    officer's institution only, for that quarter, prefilled with figures already sent."""
    definitions = active_definitions()
    columns = template_columns(definitions)
    only = rules.submitter_institution_id(actor)
    institutions = Institution.objects.current().order_by("acronym")
    if only is not None:
        institutions = Institution.objects.filter(pk=only)
    reports = {r.institution_id: r for r in QuarterlyReport.objects.for_quarter(year, quarter)}
    rows = []
    for institution in institutions:
        report = reports.get(institution.pk)
        row = [institution.acronym, quarter_code(year, quarter)]
        if report:
            row += [getattr(report, f) for f, _c, _l, _u in STANDARD_FIGURES]
            row += [(report.extra or {}).get(d.key, "") for d in definitions]
            row += [report.notes]
        else:
            row += [""] * (len(columns) - 2)
        rows.append(row)
    return columns, rows


def template_csv(actor, year: int, quarter: int) -> str:
    columns, rows = template_rows(actor, year, quarter)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([spreadsheet_safe(v) for v in row])
    return out.getvalue()


def template_xlsx(actor, year: int, quarter: int) -> bytes:
    from openpyxl import Workbook

    columns, rows = template_rows(actor, year, quarter)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(gettext_lazy("Estadísticas"))
    sheet.append(columns)
    for row in rows:
        # Text cells are stored as text: a notes cell that starts with "=" is not a formula.
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
