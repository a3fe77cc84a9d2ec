"""Bulk import of network contacts and allies from CSV or XLSX.

The import runs in two steps. ``preview_import`` parses and validates every row and stores
the result as an ``ImportBatch``; nothing else changes. ``apply_import`` writes a batch that
had no errors, all rows or none, exactly once (a second confirmation is refused).
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from dataclasses import dataclass

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from network.enums import AllySector, ImportKind, ImportStatus, PersonRole, State
from network.models import Ally, AllyContact, ImportBatch, Institution, Person

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
# An XLSX is a zip: a few megabytes can unpack to gigabytes of sheet XML (a "zip bomb").
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
# No template has more than a few dozen columns; wider rows are cut here, before padding.
MAX_COLUMNS = 200
_YES = {"si", "sí", "s", "yes", "y", "1", "true", "verdadero", "x"}
_NO = {"no", "n", "0", "false", "falso", ""}


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong type, empty, too large, no header)."""


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return "_".join(text.strip().lower().replace("-", " ").split())


def _choice_lookup(choices) -> dict[str, str]:
    lookup = {}
    for value, label in choices:
        lookup[_norm(value)] = value
        lookup[_norm(str(label))] = value
    return lookup


class YesNoField(forms.Field):
    def __init__(self, *, default: bool, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.default = default

    def to_python(self, value):
        text = _norm(value)
        if text == "":
            return self.default
        if text in _YES:
            return True
        if text in _NO:
            return False
        raise forms.ValidationError(_("Escriba «sí» o «no»."))


class LookupChoiceField(forms.Field):
    """Accepts a choice by its value or its Spanish label, ignoring case and accents."""

    def __init__(self, choices, *, default: str = "", **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.lookup = _choice_lookup(choices)
        self.labels = [str(label) for _value, label in choices]
        self.default = default

    def to_python(self, value):
        text = _norm(value)
        if text == "":
            if self.required:
                raise forms.ValidationError(_("Este campo es obligatorio."))
            return self.default
        if text not in self.lookup:
            raise forms.ValidationError(
                _("«%(value)s» no es una opción válida. Use una de: %(options)s.")
                % {"value": value, "options": ", ".join(self.labels)}
            )
        return self.lookup[text]


class ContactRowForm(forms.Form):
    nombre = forms.CharField(max_length=200)
    siglas = forms.CharField(max_length=30)
    funcion = LookupChoiceField(PersonRole.choices, default=PersonRole.COMMUNICATIONS)
    cargo = forms.CharField(max_length=200, required=False)
    correo = forms.EmailField(required=False)
    telefono = forms.CharField(max_length=40, required=False)
    telegram = forms.CharField(max_length=64, required=False)
    red = YesNoField(default=True)
    publico = YesNoField(default=False)
    correo_publico = YesNoField(default=False)
    telefono_publico = YesNoField(default=False)
    telegram_publico = YesNoField(default=False)

    def __init__(self, *args, institutions: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.institutions = institutions

    def clean_siglas(self):
        acronym = self.cleaned_data["siglas"].strip()
        if acronym.lower() not in self.institutions:
            raise forms.ValidationError(
                _("No existe una institución con las siglas «%(acronym)s».") % {"acronym": acronym}
            )
        return acronym

    def clean_telegram(self):
        return self.cleaned_data["telegram"].lstrip("@").strip()

    def clean(self):
        data = super().clean()
        for flag, field, label in (
            ("correo_publico", "correo", _("correo")),
            ("telefono_publico", "telefono", _("teléfono")),
            ("telegram_publico", "telegram", _("Telegram")),
        ):
            if data.get(flag) and not data.get(field):
                self.add_error(flag, _("Marcó publicar el %(what)s pero la fila no lo trae.")
                               % {"what": label})
        return data


class AllyRowForm(forms.Form):
    nombre = forms.CharField(max_length=255)
    sector = LookupChoiceField(AllySector.choices, required=True)
    entidad = LookupChoiceField(State.choices)
    sitio_web = forms.URLField(required=False, assume_scheme="https")
    correo = forms.EmailField(required=False)
    telefono = forms.CharField(max_length=40, required=False)
    notas = forms.CharField(required=False)
    contacto_nombre = forms.CharField(max_length=200, required=False)
    contacto_cargo = forms.CharField(max_length=200, required=False)
    contacto_correo = forms.EmailField(required=False)
    contacto_telefono = forms.CharField(max_length=40, required=False)

    def __init__(self, *args, institutions=None, **kwargs):
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if (data.get("contacto_correo") or data.get("contacto_cargo")) and not data.get(
            "contacto_nombre"
        ):
            self.add_error("contacto_nombre", _("El contacto necesita un nombre."))
        return data


@dataclass(frozen=True)
class Spec:
    form: type[forms.Form]
    columns: tuple[str, ...]
    required: tuple[str, ...]


SPECS = {
    ImportKind.CONTACTS: Spec(
        ContactRowForm,
        ("nombre", "siglas", "funcion", "cargo", "correo", "telefono", "telegram", "red",
         "publico", "correo_publico", "telefono_publico", "telegram_publico"),
        ("nombre", "siglas"),
    ),
    ImportKind.ALLIES: Spec(
        AllyRowForm,
        ("nombre", "sector", "entidad", "sitio_web", "correo", "telefono", "notas",
         "contacto_nombre", "contacto_cargo", "contacto_correo", "contacto_telefono"),
        ("nombre", "sector"),
    ),
}


def read_table(uploaded) -> list[dict[str, str]]:
    """Rows of a CSV or XLSX upload as dicts keyed by normalised header names."""
    name = (uploaded.name or "").lower()
    if uploaded.size > MAX_BYTES:
        raise ImportFileError(_("El archivo pesa más de 5 MB. Divídalo en partes."))
    raw = uploaded.read()
    if not raw:
        raise ImportFileError(_("El archivo está vacío."))
    if name.endswith(".xlsx") or raw[:2] == b"PK":
        table = _read_xlsx(raw)
    elif name.endswith(".csv") or name.endswith(".txt"):
        table = _read_csv(raw)
    else:
        raise ImportFileError(_("Suba un archivo CSV o XLSX."))
    table = [row for row in table if any(str(c or "").strip() for c in row)]
    if not table:
        raise ImportFileError(_("El archivo no tiene filas."))
    width = len(table[0])
    while width and not str(table[0][width - 1] or "").strip():  # formatted but empty columns
        width -= 1
    if width > MAX_COLUMNS:
        raise ImportFileError(_("El archivo tiene más de %(max)s columnas; use la plantilla.")
                              % {"max": MAX_COLUMNS})
    header = [_norm(h) for h in table[0][:width]]
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    if repeated:  # one of the two columns would be read and the other silently dropped
        raise ImportFileError(_("Estas columnas aparecen más de una vez: %(cols)s. Deje una "
                                "sola de cada una.") % {"cols": ", ".join(repeated)})
    if len(table) == 1:
        raise ImportFileError(_("El archivo solo tiene la fila de los nombres de columna: "
                                "agregue una fila de datos debajo."))
    if len(table) - 1 > MAX_ROWS:
        raise ImportFileError(_("El archivo tiene más de %(max)s filas.") % {"max": MAX_ROWS})
    rows = []
    for values in table[1:]:
        values = values[:len(header)]
        padded = list(values) + [""] * (len(header) - len(values))
        rows.append({h: ("" if v is None else str(v).strip()) for h, v in zip(header, padded, strict=False)
                     if h})
    return [header, *rows]


def _read_csv(raw: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(_("No se pudo leer el archivo como texto: guárdelo como CSV UTF-8."))
    if "\x00" in text:
        raise ImportFileError(_("El archivo no parece ser un CSV de texto."))
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:
        raise ImportFileError(_("El CSV está mal formado: %(error)s") % {"error": exc}) from exc


def _unpacked_size(raw: bytes) -> int:
    """What the zip's members add up to once unpacked (zipfile never reads past a member's
    declared size, so a member cannot lie its way past this check)."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ImportFileError(_("No se pudo leer el archivo XLSX; ¿está dañado?")) from exc


def _read_xlsx(raw: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    if _unpacked_size(raw) > MAX_UNPACKED_BYTES:
        raise ImportFileError(_("El archivo XLSX ocupa más de %(mb)s MB al descomprimirlo. Guarde "
                                "solo la hoja con los datos, o súbalo como CSV.")
                              % {"mb": MAX_UNPACKED_BYTES // (1024 * 1024)})
    rows = []
    workbook = None
    try:
        # read_only parses the sheet lazily: a broken sheet fails while iterating, not opening.
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        unsaved = _formula_without_result(workbook.worksheets[0])
        for row in workbook.worksheets[0].iter_rows(values_only=True, max_col=MAX_COLUMNS + 1):
            rows.append(["" if v is None else str(v) for v in row])
            if len(rows) > MAX_ROWS + 1:
                break
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ImportFileError(_("No se pudo leer el archivo XLSX; ¿está dañado?")) from exc
    finally:
        if workbook is not None:
            workbook.close()
    if unsaved:  # openpyxl reads it as empty: a note would be cleared, a figure found missing
        raise ImportFileError(_("La celda %(cell)s tiene una fórmula sin resultado guardado; abra "
                                "y guarde el archivo en Excel o LibreOffice, o escriba el valor.")
                              % {"cell": unsaved})
    return rows


def _formula_without_result(sheet) -> str | None:
    """The first cell (``C4``) of the sheet's first columns and rows (those read at all)
    holding a formula whose result was never saved: files written by scripts (openpyxl writes
    an empty ``<v>``), not by Excel or LibreOffice, which save every result (an empty text
    result marked ``t="str"``). A cell or row may leave out its reference (``r``): it follows
    the previous one, as openpyxl reads it."""
    from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    cell_tag, formula_tag, value_tag, row_tag = (
        f"{{{SHEET_MAIN_NS}}}{t}" for t in ("c", "f", "v", "row"))
    row, column = 0, 0
    # No further than the rows read: more are refused, and none past the sheet's declared size
    # is read (a few kilobytes can unpack to a million rows, which this read to the end).
    last_row = min(MAX_ROWS + 2, sheet.max_row or MAX_ROWS + 2)
    with sheet._get_source() as source:  # the sheet's XML, as openpyxl's own reader opens it
        for event, element in iterparse(source, events=("start", "end")):
            if element.tag == row_tag:
                if event == "start":
                    row, column = int(element.get("r") or row + 1), 0
                    if row > last_row:
                        return None
                else:
                    element.clear()
                continue
            if element.tag != cell_tag or event != "end":
                continue
            reference = element.get("r", "")
            column = coordinate_to_tuple(reference)[1] if reference else column + 1
            value = element.find(value_tag)
            if element.find(formula_tag) is not None and (
                    value is None or (not value.text and element.get("t") != "str")
            ) and column <= MAX_COLUMNS + 1:
                return reference or f"{get_column_letter(column)}{row}"
            element.clear()
    return None


def _validate(kind: str, header: list[str], rows: list[dict[str, str]]):
    spec = SPECS[kind]
    missing = [c for c in spec.required if c not in header]
    if missing:
        raise ImportFileError(
            _("Faltan columnas obligatorias: %(cols)s. Descargue la plantilla.")
            % {"cols": ", ".join(missing)}
        )
    institutions = {a.lower(): pk for pk, a in Institution.objects.values_list("pk", "acronym")}
    cleaned_rows, errors, seen = [], [], {}
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        form = spec.form(data=row, institutions=institutions)
        if not form.is_valid():
            for field, messages in form.errors.items():
                for message in messages:
                    errors.append({"row": number, "field": field if field != "__all__" else "",
                                   "value": row.get(field, ""), "message": str(message)})
            continue
        data = {k: v for k, v in form.cleaned_data.items()}
        key = _row_key(kind, data)
        if key in seen:
            errors.append({"row": number, "field": "", "value": "",
                           "message": _("Fila repetida: es la misma que la fila %(row)s.")
                           % {"row": seen[key]}})
            continue
        seen[key] = number
        data["_row"] = number
        if kind == ImportKind.CONTACTS:
            data["institution_id"] = institutions[data["siglas"].lower()]
        cleaned_rows.append(data)
    return cleaned_rows, errors


def _row_key(kind: str, data: dict) -> tuple:
    if kind == ImportKind.CONTACTS:
        if data.get("correo"):
            return ("email", data["correo"].lower())
        return ("name", data["nombre"].lower(), data["siglas"].lower())
    return ("name", data["nombre"].lower())


def _existing_contact(data) -> Person | None:
    if data.get("correo"):
        return Person.objects.filter(email__iexact=data["correo"]).first()
    return Person.objects.filter(name__iexact=data["nombre"],
                                 institution_id=data["institution_id"]).first()


def _annotate_actions(kind: str, rows: list[dict]) -> None:
    for data in rows:
        if kind == ImportKind.CONTACTS:
            existing = _existing_contact(data)
        else:
            existing = Ally.objects.filter(name__iexact=data["nombre"]).first()
        data["_action"] = "update" if existing else "create"


def preview_import(*, kind: str, uploaded, actor) -> ImportBatch:
    """Parse and validate a file; store what it would do. Changes no network data."""
    if kind not in SPECS:
        raise ImportFileError(_("Tipo de importación desconocido."))
    table = read_table(uploaded)
    header, rows = table[0], table[1:]
    cleaned, errors = _validate(kind, header, rows)
    _annotate_actions(kind, cleaned)
    return ImportBatch.objects.create(
        kind=kind,
        filename=(uploaded.name or "archivo")[-255:],
        rows=cleaned if not errors else [],
        errors=errors,
        status=ImportStatus.REJECTED if errors else ImportStatus.PREVIEW,
        created_by=actor if getattr(actor, "pk", None) else None,
    )


class ImportAlreadyApplied(Exception):
    pass


@transaction.atomic
def apply_import(*, batch_id: int, actor) -> ImportBatch:
    """Write a previewed batch: every row or none, and only once.

    Side effects: creates or updates Person or Ally (and AllyContact) rows; marks the batch
    applied.
    """
    claimed = ImportBatch.objects.filter(pk=batch_id, status=ImportStatus.PREVIEW).update(
        status=ImportStatus.APPLIED, applied_at=timezone.now()
    )
    if not claimed:
        raise ImportAlreadyApplied
    batch = ImportBatch.objects.get(pk=batch_id)
    created = updated = 0
    for data in batch.rows:
        if batch.kind == ImportKind.CONTACTS:
            was_created = _write_contact(data)
        else:
            was_created = _write_ally(data)
        created += was_created
        updated += not was_created
    batch.created_count, batch.updated_count = created, updated
    batch.save(update_fields=["created_count", "updated_count"])
    return batch


def _write_contact(data) -> bool:
    person = _existing_contact(data)
    created = person is None
    person = person or Person()
    person.name = data["nombre"]
    person.institution_id = data["institution_id"]
    person.role = data["funcion"]
    person.position = data["cargo"]
    person.email = data["correo"]
    person.phone = data["telefono"]
    person.telegram_handle = data["telegram"]
    person.in_network = data["red"]
    person.is_public = data["publico"]
    person.email_public = data["correo_publico"]
    person.phone_public = data["telefono_publico"]
    person.telegram_public = data["telegram_publico"]
    person.full_clean()
    person.save()
    return created


def _write_ally(data) -> bool:
    ally = Ally.objects.filter(name__iexact=data["nombre"]).first()
    created = ally is None
    ally = ally or Ally(name=data["nombre"])
    ally.sector = data["sector"]
    ally.state = data["entidad"] or ""
    for field, column in (("website", "sitio_web"), ("email", "correo"),
                          ("phone", "telefono"), ("notes", "notas")):
        if data.get(column) or created:
            setattr(ally, field, data.get(column) or "")
    ally.full_clean()
    ally.save()
    if data.get("contacto_nombre"):
        contact = ally.contacts.filter(name__iexact=data["contacto_nombre"]).first() or \
            AllyContact(ally=ally, name=data["contacto_nombre"])
        contact.position = data.get("contacto_cargo") or contact.position
        contact.email = data.get("contacto_correo") or contact.email
        contact.phone = data.get("contacto_telefono") or contact.phone
        contact.save()
    return created


def row_errors(number: int, row: dict, form: forms.Form, *, max_value: int = 200) -> list[dict]:
    """The errors of one row's form, one entry per message, for the preview's report."""
    return [{"row": number, "field": field if field != "__all__" else "",
             "value": str(row.get(field, ""))[:max_value], "message": str(message)}
            for field, messages in form.errors.items() for message in messages]


def table_csv(columns, rows) -> str:
    """A downloadable table as CSV text, formulas neutralised in every cell."""
    from hub.safety import spreadsheet_safe

    out = io.StringIO()
    writer = csv.writer(out)
    for row in [columns, *rows]:
        writer.writerow([spreadsheet_safe(value) for value in row])
    return out.getvalue()


def table_xlsx(columns, rows, *, title: str) -> bytes:
    """A downloadable table as an XLSX workbook; text cells stay text (never formulas)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(list(columns))
    for row in rows:
        sheet.append(list(row))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def template_csv(kind: str) -> str:
    spec = SPECS[kind]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(spec.columns)
    if kind == ImportKind.CONTACTS:
        writer.writerow(["María López Pérez", "INFOEM", "Enlace de comunicación social",
                         "Jefa de Comunicación", "maria.lopez@example.org", "722 000 0000",
                         "marialopez", "sí", "sí", "no", "no", "no"])
    else:
        writer.writerow(["Colectivo Ciudadano por la Transparencia", "Organización de la "
                         "sociedad civil", "Jalisco", "https://example.org",
                         "contacto@example.org", "", "", "Ana Ruiz", "Directora",
                         "ana@example.org", ""])
    return out.getvalue()
