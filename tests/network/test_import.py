import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from network.domain.imports import (
    ImportAlreadyApplied,
    ImportFileError,
    apply_import,
    preview_import,
)
from network.enums import ImportStatus
from network.models import Ally, ImportBatch, Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

HEADER = "nombre,siglas,funcion,cargo,correo,telefono,telegram,red,publico,correo_publico\n"


def csv_file(body: str, name="contactos.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, body.encode(encoding), content_type="text/csv")


def test_valid_contacts_preview_changes_nothing_then_apply_creates_them(coordinator):
    upload = csv_file(HEADER
                      + "Ana Ruiz,INFOEM,Enlace de comunicación social,Jefa,ana@x.org,,@anar,sí,sí,sí\n"
                      + "Beto Díaz,itei,comunicacion,,beto@x.org,,,no,no,no\n")
    before = Person.objects.count()
    batch = preview_import(kind="contactos", uploaded=upload, actor=coordinator)
    assert batch.status == ImportStatus.PREVIEW and batch.errors == []
    assert Person.objects.count() == before
    apply_import(batch_id=batch.pk, actor=coordinator)
    ana = Person.objects.get(email="ana@x.org")
    assert ana.institution.acronym == "INFOEM" and ana.telegram_handle == "anar"
    assert ana.is_public and ana.email_public and ana.in_network
    assert Person.objects.get(email="beto@x.org").institution.acronym == "ITEI"


def test_one_bad_row_imports_nothing_and_reports_each_problem(coordinator):
    upload = csv_file(HEADER
                      + "Ana Ruiz,INFOEM,,,ana@x.org,,,,,\n"
                      + "Sin Siglas,NOEXISTE,,,correo-malo,,,tal vez,,\n"
                      + ",INFOEM,,,,,,,,\n")
    batch = preview_import(kind="contactos", uploaded=upload, actor=coordinator)
    assert batch.status == ImportStatus.REJECTED
    problems = {(e["row"], e["field"]) for e in batch.errors}
    assert {(3, "siglas"), (3, "correo"), (3, "red"), (4, "nombre")} <= problems
    messages = " ".join(e["message"] for e in batch.errors)
    assert "No existe una institución con las siglas «NOEXISTE»" in messages
    assert "«sí» o «no»" in messages
    assert not Person.objects.filter(email="ana@x.org").exists()
    with pytest.raises(ImportAlreadyApplied):  # a rejected batch can never be applied
        apply_import(batch_id=batch.pk, actor=coordinator)
    assert not Person.objects.filter(email="ana@x.org").exists()


def test_repeated_row_in_the_file_is_an_error(coordinator):
    upload = csv_file(HEADER + "Ana,INFOEM,,,ana@x.org,,,,,\nAna R,INFOEM,,,ANA@x.org,,,,,\n")
    batch = preview_import(kind="contactos", uploaded=upload, actor=coordinator)
    assert batch.errors[0]["row"] == 3
    assert "Fila repetida" in batch.errors[0]["message"]


def test_existing_contact_is_updated_not_duplicated(coordinator, infoem):
    PersonFactory(email="ana@x.org", institution=infoem, position="Antes")
    upload = csv_file(HEADER + "Ana Ruiz,INFOEM,,Después,ana@x.org,,,,,\n")
    batch = preview_import(kind="contactos", uploaded=upload, actor=coordinator)
    assert batch.rows[0]["_action"] == "update"
    apply_import(batch_id=batch.pk, actor=coordinator)
    assert Person.objects.filter(email="ana@x.org").count() == 1
    assert Person.objects.get(email="ana@x.org").position == "Después"


def test_a_batch_is_applied_only_once(coordinator):
    batch = preview_import(kind="contactos", uploaded=csv_file(HEADER + "Ana,INFOEM,,,a@x.org,,,,,\n"),
                           actor=coordinator)
    apply_import(batch_id=batch.pk, actor=coordinator)
    with pytest.raises(ImportAlreadyApplied):
        apply_import(batch_id=batch.pk, actor=coordinator)
    assert Person.objects.filter(email="a@x.org").count() == 1


def test_semicolon_and_windows_encoded_csv_is_read(coordinator):
    body = "nombre;siglas;cargo\nJosé Núñez;ITEI;Difusión\n"
    batch = preview_import(kind="contactos", uploaded=csv_file(body, encoding="cp1252"),
                           actor=coordinator)
    assert batch.errors == []
    assert batch.rows[0]["nombre"] == "José Núñez"


def test_xlsx_allies_with_contact_person(coordinator):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Nombre", "Sector", "Entidad", "Sitio web", "Contacto nombre", "Contacto correo"])
    sheet.append(["Observatorio Ciudadano", "Universidad o institución académica", "Jalisco",
                  "observatorio.example.org", "Rita Gómez", "rita@obs.example.org"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("aliados.xlsx", buffer.getvalue())
    batch = preview_import(kind="aliados", uploaded=upload, actor=coordinator)
    assert batch.errors == []
    apply_import(batch_id=batch.pk, actor=coordinator)
    ally = Ally.objects.get(name="Observatorio Ciudadano")
    assert ally.sector == "academia" and ally.state == "JAL"
    assert ally.website == "https://observatorio.example.org"
    assert ally.contacts.get().email == "rita@obs.example.org"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("foto.png", b"\x89PNG\r\n\x1a\n", "CSV o XLSX"),
        ("vacio.csv", b"", "vacío"),
        ("roto.xlsx", b"PK\x03\x04 no es un zip", "XLSX"),
        ("sin_columnas.csv", b"foo,bar\n1,2\n", "Faltan columnas obligatorias"),
    ],
)
def test_unreadable_files_are_refused_with_a_spanish_message(coordinator, name, content, message):
    with pytest.raises(ImportFileError) as error:
        preview_import(kind="contactos", uploaded=SimpleUploadedFile(name, content),
                       actor=coordinator)
    assert message in str(error.value)
    assert not ImportBatch.objects.exists()


def test_admin_import_flow_for_coordination(coordinator_client):
    upload = csv_file(HEADER + "Ana,INFOEM,,,ana@x.org,,,,,\n")
    response = coordinator_client.post("/admin/red/importar/", {"kind": "contactos",
                                                                "file": upload})
    assert response.status_code == 302
    preview = coordinator_client.get(response["Location"])
    assert "Confirmar importación" in preview.content.decode()
    assert not Person.objects.filter(email="ana@x.org").exists()
    coordinator_client.post(response["Location"])
    coordinator_client.post(response["Location"])  # a double click
    assert Person.objects.filter(email="ana@x.org").count() == 1


def test_admin_import_shows_row_errors(coordinator_client):
    upload = csv_file(HEADER + "Ana,NOEXISTE,,,ana@x.org,,,,,\n")
    response = coordinator_client.post("/admin/red/importar/", {"kind": "contactos",
                                                                "file": upload}, follow=True)
    html = response.content.decode()
    assert "No se importó nada" in html and "NOEXISTE" in html
    assert "Confirmar importación" not in html


def test_admin_import_refuses_a_bad_file_in_the_form(coordinator_client):
    response = coordinator_client.post("/admin/red/importar/", {
        "kind": "contactos", "file": SimpleUploadedFile("x.pdf", b"%PDF-1.4")})
    assert response.status_code == 200
    assert "Suba un archivo CSV o XLSX" in response.content.decode()


def test_officers_cannot_import(officer_client):
    upload = csv_file(HEADER + "Ana,INFOEM,,,ana@x.org,,,,,\n")
    response = officer_client.post("/admin/red/importar/", {"kind": "contactos",
                                                            "file": upload})
    # Wagtail turns a refused admin page into a redirect to the dashboard with a message.
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert not ImportBatch.objects.exists()
    assert officer_client.get("/admin/red/importar/plantilla/contactos.csv").status_code == 302


@pytest.mark.parametrize("raw, name", [
    (b"nombre,siglas\n\x81\x8d\x8f;\x90\n", "contactos.csv"),       # neither UTF-8 nor cp1252
    (b"PK\x03\x04" + b"\x00" * 60, "contactos.xlsx"),                # a zip that is no workbook
])
def test_an_unreadable_file_is_refused_in_spanish_and_changes_nothing(coordinator, raw, name):
    with pytest.raises(ImportFileError):
        preview_import(kind="contactos", uploaded=SimpleUploadedFile(name, raw), actor=coordinator)
    assert not Person.objects.filter(name__contains="\x81").exists()


def test_a_workbook_whose_sheet_is_broken_is_refused(coordinator):
    import zipfile

    good = io.BytesIO()
    book = Workbook()
    book.active.append(["nombre", "siglas"])
    book.save(good)
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good.getvalue())) as src, \
            zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = b"<worksheet><sheetData><row><c r='A1'><v>1</v>"  # cut short
            dst.writestr(item, data)
    with pytest.raises(ImportFileError):
        preview_import(kind="contactos", uploaded=SimpleUploadedFile("c.xlsx", broken.getvalue()),
                       actor=coordinator)


def _allies_with_a_formula_note() -> bytes:
    """An allies' sheet whose note (C2) is a formula saved without its result, as openpyxl
    writes it."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Nombre", "Sector", "Notas"])
    sheet.append(["Observatorio Ciudadano", "Universidad o institución académica", '="a" & "b"'])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_formula_without_a_saved_result_is_refused_not_read_as_empty(coordinator):
    with pytest.raises(ImportFileError, match="La celda C2 tiene una fórmula sin resultado"):
        preview_import(kind="aliados", uploaded=SimpleUploadedFile(
            "a.xlsx", _allies_with_a_formula_note()), actor=coordinator)
    assert not ImportBatch.objects.exists() and not Ally.objects.exists()


def _sheet_rewritten(buffer: bytes, change) -> bytes:
    import zipfile

    source, out = zipfile.ZipFile(io.BytesIO(buffer)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = change(data.decode()).encode()
            target.writestr(item, data)
    return out.getvalue()


def test_xlsx_formula_without_a_result_is_refused_in_a_sheet_whose_cells_are_not_named(
        coordinator):
    """A cell's reference (r="C2") is optional in the file format, and some programs leave it
    out: the note's formula without a result was read as empty, as if the check did not exist."""
    import re

    unnamed = _sheet_rewritten(_allies_with_a_formula_note(),
                               lambda xml: re.sub(r'(<(?:c|row)\b[^>]*?) r="[A-Z]*\d+"', r"\1", xml))
    with pytest.raises(ImportFileError, match="La celda C2 tiene una fórmula sin resultado"):
        preview_import(kind="aliados", uploaded=SimpleUploadedFile("a.xlsx", unnamed),
                       actor=coordinator)
    assert not ImportBatch.objects.exists() and not Ally.objects.exists()


def test_an_xlsx_longer_than_allowed_is_refused_for_its_length_read_no_further(coordinator):
    """The check for formulas without a result read the whole sheet, past the rows that are
    read at all: a file of 120 KB unpacking to 45 MB of cells kept a web process busy
    for 11 s and 250 MB. It now stops where reading stops."""
    from network.domain.imports import MAX_ROWS

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["Nombre", "Sector", "Notas"])
    for n in range(MAX_ROWS + 5):
        sheet.append([f"Aliado {n}", "Universidad o institución académica", ""])
    sheet.append(["Último", "Universidad o institución académica", '="a" & "b"'])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ImportFileError, match=f"más de {MAX_ROWS} filas"):
        preview_import(kind="aliados", uploaded=SimpleUploadedFile("a.xlsx", buffer.getvalue()),
                       actor=coordinator)
