"""Attacks on the bulk upload shared by posts, contacts and statistics: a few megabytes that
unpack to a huge sheet (zip bomb), absurdly wide rows, NUL bytes and formulas. Each gets a
Spanish message and creates nothing; nothing answers 500."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from campaigns.models import Post, PostImport

UPLOAD = reverse("campaigns_import")


def _xlsx_with_sheet(sheet_xml: bytes) -> bytes:
    """A real workbook whose first sheet's XML is replaced by ``sheet_xml``."""
    book = Workbook()
    book.active.append(["texto", "canales", "fecha", "hora"])
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml
            target.writestr(item.filename, data)
    return out.getvalue()


def test_an_xlsx_that_unpacks_to_a_huge_sheet_is_refused_before_it_is_read(officer_client):
    cells = b"<c><v>1</v></c>" * (5 * 1024 * 1024)  # 70 MB of cells, a few hundred KB packed
    sheet = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
             b'openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">' + cells
             + b"</row></sheetData></worksheet>")
    bomb = _xlsx_with_sheet(sheet)
    assert len(bomb) < 1024 * 1024
    response = officer_client.post(UPLOAD, {"file": SimpleUploadedFile("bomba.xlsx", bomb)})
    assert response.status_code == 200
    assert "ocupa más de 50 MB al descomprimirlo" in response.content.decode()
    assert not PostImport.objects.exists() and not Post.objects.exists()


def test_a_csv_with_a_header_wider_than_any_template_is_refused(officer_client):
    wide = ("texto,canales,fecha,hora," + ",".join(f"c{i}" for i in range(300)) + "\n"
            + "hola,x,01/01/2030,10:00\n").encode()
    response = officer_client.post(UPLOAD, {"file": SimpleUploadedFile("ancho.csv", wide)})
    assert response.status_code == 200
    assert "más de 200 columnas" in response.content.decode()
    assert not PostImport.objects.exists()


def test_empty_trailing_columns_and_long_rows_do_not_get_in_the_way(officer_client, tg_channel):
    from .test_post_import import _row

    row = _row("Con columnas de más", tg_channel.name) + "," * 5000 + "sobrante"
    body = ("texto,enlace,canales,fecha,hora,imagen" + "," * 3000 + "\n" + row + "\n").encode()
    response = officer_client.post(UPLOAD, {"file": SimpleUploadedFile("p.csv", body)})
    batch = PostImport.objects.get()
    assert response.status_code == 302 and batch.errors == [] and len(batch.rows) == 1


def test_a_csv_with_nul_bytes_is_refused_with_a_message(officer_client):
    body = b"texto,canales,fecha,hora\nho\x00la,x,01/01/2030,10:00\n"
    response = officer_client.post(UPLOAD, {"file": SimpleUploadedFile("nul.csv", body)})
    assert response.status_code == 200
    assert "no parece ser un CSV de texto" in response.content.decode()
    assert not PostImport.objects.exists()
