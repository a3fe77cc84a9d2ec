"""Quarterly statistics (seed 004): the upload in two steps, validation per row, scoping,
the data-defined fields, open data, the public page and the indicators."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from hub.indicators import Period, Scope, sections
from hub.models.statistics import QuarterlyReport, StatisticsImport
from hub.statistics.domain import (
    ImportFileError,
    UploadAlreadyApplied,
    apply_upload,
    preview_upload,
)
from hub.statistics.enums import FigureKind
from network.enums import ImportStatus
from tests.hub.statistics_factories import QuarterlyReportFactory, StatisticFieldFactory

HEADER = ("siglas,trimestre,solicitudes_recibidas,solicitudes_en_tiempo,recursos_revision,"
          "personas_capacitadas,eventos,alcance_campanas,observaciones\n")


def upload(body: str, name="estadisticas.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, body.encode(encoding), content_type="text/csv")


def errors_of(batch):
    return {(e["row"], e["field"]): e["message"] for e in batch.errors}


def test_valid_file_previews_without_saving_then_applies_once(coordinator, infoem, itei):
    batch = preview_upload(uploaded=upload(HEADER + "INFOEM,2025-T1,100,90,4,30,2,500,\n"
                                                    "itei,2025T2,\"1,200\",1000,8,10,1,0,ok\n"),
                           actor=coordinator)
    assert batch.status == ImportStatus.PREVIEW and not batch.errors
    assert QuarterlyReport.objects.count() == 0
    apply_upload(batch_id=batch.pk, actor=coordinator)
    itei_q2 = QuarterlyReport.objects.get(institution=itei, year=2025, quarter=2)
    assert itei_q2.requests_received == 1200 and itei_q2.notes == "ok"
    assert QuarterlyReport.objects.count() == 2
    with pytest.raises(UploadAlreadyApplied):
        apply_upload(batch_id=batch.pk, actor=coordinator)
    assert QuarterlyReport.objects.count() == 2


@pytest.mark.parametrize(("row", "field", "message"), [
    ("INFOEM,2025-T1,100,120,0,0,0,0,", "solicitudes_en_tiempo", "no pueden ser más"),
    ("INFOEM,2025-T1,-5,0,0,0,0,0,", "solicitudes_recibidas", "No puede ser negativo"),
    ("NOEXISTE,2025-T1,1,0,0,0,0,0,", "siglas", "No existe una institución"),
    ("INFOEM,2025-5,1,0,0,0,0,0,", "trimestre", "no es un trimestre válido"),
    ("INFOEM,T1 de 2025,1,0,0,0,0,0,", "trimestre", "no es un trimestre válido"),
    ("INFOEM,2099-T1,1,0,0,0,0,0,", "trimestre", "aún no empieza"),
    ("INFOEM,2010-T1,1,0,0,0,0,0,", "trimestre", "anterior a 2015"),
    ("INFOEM,2025-T1,diez,0,0,0,0,0,", "solicitudes_recibidas", "no es un número"),
    ("INFOEM,2025-T1,10.5,0,0,0,0,0,", "solicitudes_recibidas", "número entero"),
    ("INFOEM,2025-T1,,0,0,0,0,0,", "solicitudes_recibidas", "obligatorio"),
    ("INFOEM,2025-T1,=1+1,0,0,0,0,0,", "solicitudes_recibidas", "no es un número"),
    ("INFOEM,2025-T1,NaN,0,0,0,0,0,", "solicitudes_recibidas", "no es un número"),
    ("INFOEM,2025-T1,99999999999,0,0,0,0,0,", "solicitudes_recibidas", "demasiado grande"),
    # An exponent past what decimal arithmetic holds was a 500 (decimal.Overflow).
    ("INFOEM,2025-T1,1E+999999999,0,0,0,0,0,", "solicitudes_recibidas", "demasiado grande"),
    ("INFOEM,2025-T1,-1e999999,0,0,0,0,0,", "solicitudes_recibidas", "demasiado grande"),
])
def test_one_bad_row_saves_nothing_and_names_row_column_and_problem(coordinator, row, field,
                                                                    message):
    good = "ITEI,2025-T1,10,10,0,0,0,0,\n"
    batch = preview_upload(uploaded=upload(HEADER + good + row + "\n"), actor=coordinator)
    assert batch.status == ImportStatus.REJECTED and batch.rows == []
    assert message in errors_of(batch)[(3, field)]
    with pytest.raises(UploadAlreadyApplied):
        apply_upload(batch_id=batch.pk, actor=coordinator)
    assert QuarterlyReport.objects.count() == 0


def test_repeated_institution_and_quarter_is_an_error(coordinator):
    batch = preview_upload(uploaded=upload(HEADER + "INFOEM,2025-T1,1,1,0,0,0,0,\n"
                                                    "infoem,2025-1,2,2,0,0,0,0,\n"),
                           actor=coordinator)
    assert "Fila repetida" in errors_of(batch)[(3, "")]


def test_existing_report_is_updated_not_duplicated(coordinator, infoem):
    QuarterlyReportFactory(institution=infoem, year=2025, quarter=1, requests_received=5,
                           requests_on_time=5)
    batch = preview_upload(uploaded=upload(HEADER + "INFOEM,2025-T1,50,40,0,0,0,0,\n"),
                           actor=coordinator)
    assert batch.rows[0]["_action"] == "update"
    applied = apply_upload(batch_id=batch.pk, actor=coordinator)
    assert (applied.created_count, applied.updated_count) == (0, 1)
    report = QuarterlyReport.objects.get()
    assert report.requests_received == 50 and report.updated_by == coordinator


def test_officer_submits_only_their_own_institution(officer, infoem):
    batch = preview_upload(uploaded=upload(HEADER + "INFOEM,2025-T1,1,1,0,0,0,0,\n"
                                                    "ITEI,2025-T1,1,1,0,0,0,0,\n"),
                           actor=officer)
    assert "su propia institución" in errors_of(batch)[(3, "siglas")]
    batch = preview_upload(uploaded=upload(HEADER + "INFOEM,2025-T1,1,1,0,0,0,0,\n"),
                           actor=officer)
    apply_upload(batch_id=batch.pk, actor=officer)
    assert QuarterlyReport.objects.get().institution == infoem


def test_missing_required_column_refuses_the_whole_file(coordinator):
    with pytest.raises(ImportFileError, match="Faltan columnas obligatorias: eventos"):
        preview_upload(uploaded=upload("siglas,trimestre,solicitudes_recibidas,"
                                       "solicitudes_en_tiempo,recursos_revision,"
                                       "personas_capacitadas,alcance_campanas\nINFOEM,2025-T1,"
                                       "1,1,1,1,1\n"), actor=coordinator)


@pytest.mark.parametrize(("name", "content", "message"), [
    ("vacio.csv", b"", "está vacío"),
    ("datos.pdf", b"%PDF-1.4 algo", "Suba un archivo CSV o XLSX"),
    ("roto.xlsx", b"PK\x03\x04 no es un zip", "XLSX"),
    ("binario.csv", b"\x00\x01\x02" * 100, "no parece ser un CSV"),
    ("enorme.csv", b"a" * (5 * 1024 * 1024 + 1), "más de 5 MB"),
    ("solo-espacios.csv", b" , ,\n,,\n", "no tiene filas"),
    # A template sent back without figures was a preview of nothing with «Confirmar carga».
    ("solo-encabezados.csv", HEADER.encode(), "solo tiene la fila de los nombres de columna"),
    # Both columns were accepted and the last one silently won.
    ("columna-doble.csv", (HEADER.strip() + ",Solicitudes recibidas\n"
                           "INFOEM,2025-T1,1,1,0,0,0,0,,900\n").encode(),
     "aparecen más de una vez: solicitudes_recibidas"),
])
def test_unreadable_files_are_refused_in_spanish(coordinator, name, content, message):
    with pytest.raises(ImportFileError, match=message):
        preview_upload(uploaded=SimpleUploadedFile(name, content), actor=coordinator)
    assert not StatisticsImport.objects.exists()


def test_xlsx_upload_with_integral_floats_is_read(coordinator, infoem):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(["INFOEM", "2025-T3", 120.0, 100, 3, 20, 1, 900, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = preview_upload(uploaded=SimpleUploadedFile("e.xlsx", buffer.getvalue()),
                           actor=coordinator)
    assert not batch.errors
    apply_upload(batch_id=batch.pk, actor=coordinator)
    assert QuarterlyReport.objects.get(quarter=3).requests_received == 120


def test_fields_defined_as_data_are_validated_and_published(coordinator, client, infoem):
    StatisticFieldFactory(key="denuncias", label="Denuncias", required=True)
    StatisticFieldFactory(key="satisfaccion", label="Satisfacción", unit="%",
                          kind=FigureKind.DECIMAL, minimum=0)
    header = HEADER.strip() + ",denuncias,satisfaccion\n"
    bad = preview_upload(uploaded=upload(header + "INFOEM,2025-T1,1,1,0,0,0,0,,,-2\n"),
                         actor=coordinator)
    errors = errors_of(bad)
    assert "obligatorio" in errors[(2, "denuncias")]
    assert "negativo" in errors[(2, "satisfaccion")]
    with pytest.raises(ImportFileError, match="denuncias"):
        preview_upload(uploaded=upload(HEADER + "INFOEM,2025-T1,1,1,0,0,0,0,\n"),
                       actor=coordinator)
    good = preview_upload(uploaded=upload(header + "INFOEM,2025-T1,1,1,0,0,0,0,,7,87.5\n"),
                          actor=coordinator)
    apply_upload(batch_id=good.pk, actor=coordinator)
    assert QuarterlyReport.objects.get().extra == {"denuncias": 7, "satisfaccion": "87.50"}
    data = client.get("/datos/estadisticas.json").json()
    fields = {f["nombre"]: f["tipo"] for f in data["schema"]["campos"]}
    assert fields["denuncias"] == "integer" and fields["satisfaccion"] == "number"
    assert fields["solicitudes_recibidas"] == "integer"
    row = data["results"][0]
    assert row["denuncias"] == 7 and row["satisfaccion"] == 87.5 and row["siglas"] == "INFOEM"
    schema = client.get("/datos/estadisticas/esquema.json").json()
    assert "denuncias" in json.dumps(schema)


def test_open_data_csv_neutralises_formulas_typed_in_cells(coordinator, client):
    batch = preview_upload(uploaded=upload(
        HEADER + 'INFOEM,2025-T1,1,1,0,0,0,0,"=HYPERLINK(""http://x"",""clic"")"\n'),
        actor=coordinator)
    apply_upload(batch_id=batch.pk, actor=coordinator)
    body = b"".join(client.get("/datos/estadisticas.csv").streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0]["observaciones"].startswith("'=HYPERLINK")
    assert client.get("/datos/estadisticas.json").json()["results"][0][
        "observaciones"].startswith("=HYPERLINK")


def test_open_data_lists_every_report_with_the_on_time_rate(client, infoem, itei):
    QuarterlyReportFactory(institution=infoem, requests_received=200, requests_on_time=150)
    QuarterlyReportFactory(institution=itei, quarter=2)
    data = client.get("/datos/estadisticas.json").json()
    assert data["count"] == 2
    infoem_row = next(r for r in data["results"] if r["siglas"] == "INFOEM")
    assert infoem_row["trimestre"] == "2025-T1" and infoem_row["tasa_respuesta_en_tiempo"] == 75.0
    assert "estadisticas" in client.get("/datos/").content.decode()


def test_public_page_charts_the_chosen_quarter_per_region(client, infoem, itei):
    QuarterlyReportFactory(institution=infoem, quarter=1, requests_received=111,
                           requests_on_time=100)
    QuarterlyReportFactory(institution=itei, quarter=2, requests_received=222,
                           requests_on_time=200)
    html = client.get("/estadisticas/").content.decode()
    assert "2025-T2" in html and "222" in html and "<svg" in html
    assert infoem.region.name in html and "111" not in html
    html = client.get("/estadisticas/?trimestre=2025-T1&cifra=personas_capacitadas").content.decode()
    assert "Personas capacitadas por región, 2025-T1" in html and "ITEI" not in html


def test_a_changed_figure_shows_on_the_next_visit_of_each_quarter(client, infoem, itei):
    first = QuarterlyReportFactory(institution=infoem, quarter=1, requests_received=1357)
    QuarterlyReportFactory(institution=itei, quarter=2, requests_received=2468)
    def tables(query=""):  # the tables below the chart
        return client.get("/estadisticas/" + query).content.decode().split("Por región")[1]

    for _ in range(2):  # both quarters' tables are kept per generation (``{% kept %}``)
        assert "2468" in tables() and "1357" not in tables()
        assert "1357" in tables("?trimestre=2025-T1") and "2468" not in tables("?trimestre=2025-T1")
    first.requests_received = 9753
    first.save()
    assert "9753" in tables("?trimestre=2025-T1") and "1357" not in tables("?trimestre=2025-T1")
    assert "2468" in tables()


@pytest.mark.parametrize("query", ["?trimestre=9999-T9", "?cifra=%00", "?trimestre=" + "x" * 5000,
                                   "?trimestre[]=1&cifra=<script>"])
def test_public_page_shrugs_off_odd_parameters(client, db, query):
    QuarterlyReportFactory()
    assert client.get("/estadisticas/" + query).status_code in (200, 400)


def test_public_page_without_data_says_so(client, db):
    assert "Aún no hay estadísticas" in client.get("/estadisticas/").content.decode()


def test_public_page_purges_from_the_page_cache_when_figures_change(client, settings, infoem):
    from hub import pagecache

    settings.ENLACE_PAGE_CACHE_SECONDS = 600
    pagecache.store().clear()
    report = QuarterlyReportFactory(institution=infoem, requests_received=4321,
                                    requests_on_time=1)
    assert "4321" in client.get("/estadisticas/").content.decode()
    client.get("/estadisticas/")  # the store has a generation from here on
    assert client.get("/estadisticas/")["X-Cache"] == "hit"
    report.requests_received = 8765
    report.save()
    response = client.get("/estadisticas/")
    assert response["X-Cache"] == "miss" and "8765" in response.content.decode()
    pagecache.store().clear()


def test_indicators_section_sums_the_scope(infoem, itei):
    QuarterlyReportFactory(institution=infoem, requests_received=100, requests_on_time=80)
    QuarterlyReportFactory(institution=itei, requests_received=300, requests_on_time=300)
    QuarterlyReportFactory(institution=itei, quarter=2, requests_received=999,
                           requests_on_time=1)
    national = next(s for s in sections(Scope(Period.quarter(2025, 1)))
                    if s.key == "estadisticas")
    figures = {str(f.label): f.value for f in national.figures}
    assert figures["Solicitudes de información recibidas"] == 400
    assert figures["Informes recibidos"] == 2
    assert str(figures["Solicitudes respondidas en tiempo"]) == "95.0"
    own = next(s for s in sections(Scope(Period.quarter(2025, 1), institution_id=infoem.pk))
               if s.key == "estadisticas")
    assert {str(f.label): f.value for f in own.figures}[
        "Solicitudes de información recibidas"] == 100


def test_indicators_section_every_figure_and_series_national_regional_and_own(infoem, itei):
    """Every figure, series row and the summary of the section, in the three scopes: the sums
    moved from Python to the database and must not change (an institution without a region
    has its own «Sin región» row; a region without reports shows an empty value)."""
    from network.models import Region
    from tests.factories import InstitutionFactory

    lone = InstitutionFactory(acronym="SINREG", region=None)
    QuarterlyReportFactory(institution=infoem, requests_received=100, requests_on_time=80)
    QuarterlyReportFactory(institution=itei, requests_received=300, requests_on_time=300,
                           appeals=7, people_trained=1, events=0, campaign_reach=5)
    QuarterlyReportFactory(institution=lone, requests_received=50, requests_on_time=10)
    QuarterlyReportFactory(institution=itei, quarter=2, requests_received=999)

    def section(**scope):
        found = next(s for s in sections(Scope(Period.quarter(2025, 1), **scope))
                     if s.key == "estadisticas")
        return ([(str(f.label), f.value, str(f.note or "")) for f in found.figures],
                found.series[0].rows, found.summary)

    figures, rows, summary = section()
    institutions = type(infoem).objects.current().count()
    assert figures == [
        ("Informes recibidos", 3, f"de {institutions} esperados"),
        ("Solicitudes de información recibidas", 450, ""),
        ("Solicitudes respondidas en tiempo", 390, ""), ("Recursos de revisión", 17, ""),
        ("Personas capacitadas", 81, ""), ("Eventos realizados", 6, ""),
        ("Alcance de campañas", 2005, ""), ("Solicitudes respondidas en tiempo", Decimal("86.7"), ""),
    ]
    expected = {infoem.region.name: 100, itei.region.name: 300}
    assert rows == [(r.name, expected.get(r.name)) for r in Region.objects.all()] + [
        ("Sin región", 50)]
    assert summary == (f"3 de {institutions} informes trimestrales recibidos: 450 solicitudes de "
                       "información, 86.7% respondidas en tiempo, 81 personas capacitadas.")
    figures, rows, _summary = section(region_id=itei.region_id)
    assert rows == sorted((i.acronym, n) for i, n in ((infoem, 100), (itei, 300))
                          if i.region_id == itei.region_id)
    figures, rows, _summary = section(institution_id=itei.pk)
    assert [f[1] for f in figures] == [1, 300, 300, 7, 1, 0, 5, Decimal("100.0")]
    assert rows == [("ITEI", 300)]
    empty = next(s for s in sections(Scope(Period.quarter(2024, 1))) if s.key == "estadisticas")
    assert [f.value for f in empty.figures][:3] == [0, None, None]
    assert empty.summary == "Aún no se reciben informes estadísticos de este periodo."


# --- admin screens ------------------------------------------------------------------------

def test_admin_upload_flow_shows_errors_then_applies(coordinator_client, infoem):
    bad = coordinator_client.post("/admin/estadisticas/cargar/", {
        "file": upload(HEADER + "INFOEM,2025-T1,10,20,0,0,0,0,\n")}, follow=True)
    html = bad.content.decode()
    assert "No se importó nada" in html and "no pueden ser más" in html
    assert "Confirmar carga" not in html
    good = coordinator_client.post("/admin/estadisticas/cargar/", {
        "file": upload(HEADER + "INFOEM,2025-T1,20,10,0,0,0,0,\n")}, follow=True)
    assert "Confirmar carga" in good.content.decode()
    # «Se crearán 1 informes y se actualizarán 0», «Aplicada: 1 informes nuevos, 0 actualizados»
    # read wrong with a single report: each count now follows its label.
    assert "Informes que se crearán: 1; que se actualizarán: 0." in good.content.decode()
    batch = StatisticsImport.objects.filter(status=ImportStatus.PREVIEW).get()
    done = coordinator_client.post(f"/admin/estadisticas/cargar/{batch.pk}/", follow=True)
    assert "Aplicada. Informes nuevos: 1; actualizados: 0." in done.content.decode()
    assert "informes nuevos," not in done.content.decode()
    again = coordinator_client.post(f"/admin/estadisticas/cargar/{batch.pk}/", follow=True)
    assert "no se puede aplicar" in again.content.decode()
    assert QuarterlyReport.objects.count() == 1


def test_admin_upload_of_an_empty_file_says_so_in_correct_spanish(coordinator_client):
    """Django's own message read «El archivo enviado está vació»."""
    response = coordinator_client.post("/admin/estadisticas/cargar/", {
        "file": SimpleUploadedFile("vacio.csv", b"")})
    html = response.content.decode()
    assert "El archivo está vacío." in html and "vació" not in html
    assert not StatisticsImport.objects.exists()


def test_admin_upload_of_unreadable_file_shows_the_reason(coordinator_client):
    response = coordinator_client.post("/admin/estadisticas/cargar/", {
        "file": SimpleUploadedFile("x.doc", b"hola")})
    assert response.status_code == 200 and "Suba un archivo CSV o XLSX" in response.content.decode()


@pytest.mark.parametrize("batch_id", ["0", "9223372036854775808", "99999999"])
def test_odd_batch_ids_are_not_found(coordinator_client, batch_id):
    assert coordinator_client.get(f"/admin/estadisticas/cargar/{batch_id}/").status_code == 404


def test_upload_screens_refuse_wrong_methods_and_outsiders(coordinator_client, client, db):
    assert coordinator_client.put("/admin/estadisticas/cargar/").status_code == 405
    assert coordinator_client.post("/admin/estadisticas/plantilla.csv").status_code == 405
    assert coordinator_client.get("/admin/estadisticas/plantilla.pdf").status_code == 404
    client.logout()
    assert client.get("/admin/estadisticas/cargar/").status_code == 302


def test_officer_cannot_open_or_apply_another_institutions_upload(officer_client, coordinator,
                                                                   itei):
    batch = preview_upload(uploaded=upload(HEADER + "ITEI,2025-T1,1,1,0,0,0,0,\n"),
                           actor=coordinator)
    assert officer_client.get(f"/admin/estadisticas/cargar/{batch.pk}/").status_code == 404
    assert officer_client.post(f"/admin/estadisticas/cargar/{batch.pk}/").status_code == 404
    assert not QuarterlyReport.objects.exists()


def test_templates_have_a_row_per_institution_or_only_the_officers(client, officer,
                                                                     coordinator, infoem):
    from network.models import Institution

    client.force_login(coordinator)
    body = client.get("/admin/estadisticas/plantilla.csv?trimestre=2025-T1")
    rows = list(csv.reader(io.StringIO(body.content.decode().lstrip("\ufeff"))))
    assert rows[0][:3] == ["siglas", "trimestre", "solicitudes_recibidas"]
    assert len(rows) - 1 == Institution.objects.current().count()
    client.force_login(officer)
    QuarterlyReportFactory(institution=infoem, requests_received=77, requests_on_time=7)
    xlsx = client.get("/admin/estadisticas/plantilla.xlsx?trimestre=2025-T1")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 2 and values[1][:3] == ("INFOEM", "2025-T1", 77)


@pytest.mark.parametrize("notes", ["-5 % respecto al trimestre anterior", "=sin fórmula",
                                   "+ 3 jornadas", "@infoem en redes"])
def test_the_csv_template_sent_back_keeps_the_notes_as_they_were(client, officer, infoem,
                                                                 notes):
    """The template neutralises a note that a spreadsheet would run («'-5 %…»); uploading it
    back stored that apostrophe in the note, once per round trip of the officer's file."""
    QuarterlyReportFactory(institution=infoem, notes=notes)
    client.force_login(officer)
    body = client.get("/admin/estadisticas/plantilla.csv?trimestre=2025-T1").content
    assert "'" + notes in body.decode()  # still safe to open in a spreadsheet
    batch = preview_upload(uploaded=SimpleUploadedFile("plantilla.csv", body), actor=officer)
    apply_upload(batch_id=batch.pk, actor=officer)
    assert QuarterlyReport.objects.get().notes == notes


def test_admin_form_shows_extra_fields_and_refuses_bad_figures(coordinator_client, infoem):
    StatisticFieldFactory(key="denuncias", label="Denuncias", required=True)
    add = "/admin/snippets/hub/quarterlyreport/add/"
    assert "extra__denuncias" in coordinator_client.get(add).content.decode()
    data = {"institution": infoem.pk, "year": 2025, "quarter": 1, "requests_received": 10,
            "requests_on_time": 11, "appeals": 0, "people_trained": 0, "events": 0,
            "campaign_reach": 0, "notes": "", "extra__denuncias": ""}
    response = coordinator_client.post(add, data)
    html = response.content.decode()
    assert "no pueden ser más" in html and "obligatorio" in html.lower()
    assert not QuarterlyReport.objects.exists()
    coordinator_client.post(add, {**data, "requests_on_time": 9, "extra__denuncias": "3"})
    report = QuarterlyReport.objects.get()
    assert report.extra == {"denuncias": 3}
    again = coordinator_client.post(add, {**data, "requests_on_time": 9,
                                          "extra__denuncias": "3"})
    assert "ya tiene un informe de ese trimestre" in again.content.decode()
    assert QuarterlyReport.objects.count() == 1


def test_admin_form_refuses_an_exponent_too_large_for_decimal_arithmetic(coordinator_client,
                                                                          infoem):
    """«1E+999999999» typed in an extra figure was a 500 (decimal.Overflow); it is refused on
    its field and nothing is saved."""
    StatisticFieldFactory(key="satisfaccion", label="Satisfacción", kind=FigureKind.DECIMAL)
    data = {"institution": infoem.pk, "year": 2025, "quarter": 1, "requests_received": 10,
            "requests_on_time": 9, "appeals": 0, "people_trained": 0, "events": 0,
            "campaign_reach": 0, "notes": "", "extra__satisfaccion": "1E+999999999"}
    response = coordinator_client.post("/admin/snippets/hub/quarterlyreport/add/", data)
    assert response.status_code == 200
    assert "El número es demasiado grande." in response.content.decode()
    assert not QuarterlyReport.objects.exists()


@pytest.mark.parametrize("value", ["9223372036854775807", "2000000001", "3e9"])
def test_admin_form_refuses_figures_larger_than_an_upload_accepts(coordinator_client, infoem,
                                                                  itei, value):
    """The admin form took any figure the database column held (on SQLite up to 2**63 - 1):
    two such reports in one quarter made the dashboard's sum overflow, and the admin home
    and the dashboard answered 500 for Coordinación. The form refuses what an upload
    refuses, on the field, in Spanish, and saves nothing."""
    QuarterlyReportFactory(institution=itei, year=2025, quarter=1,
                           requests_received=2_000_000_000, requests_on_time=1)
    data = {"institution": infoem.pk, "year": 2025, "quarter": 1, "requests_received": value,
            "requests_on_time": 9, "appeals": 0, "people_trained": 0, "events": 0,
            "campaign_reach": 0, "notes": ""}
    response = coordinator_client.post("/admin/snippets/hub/quarterlyreport/add/", data)
    assert response.status_code == 200
    assert "El número es demasiado grande." in response.content.decode()
    assert not QuarterlyReport.objects.filter(institution=infoem).exists()
    assert coordinator_client.get("/admin/tablero/?year=2025&quarter=1").status_code == 200
    assert coordinator_client.get("/admin/").status_code == 200


def test_officer_sees_and_types_only_their_own_reports(officer_client, infoem, itei):
    QuarterlyReportFactory(institution=infoem, requests_received=12345, requests_on_time=1)
    other = QuarterlyReportFactory(institution=itei, requests_received=67890, requests_on_time=1)
    listing = officer_client.get("/admin/snippets/hub/quarterlyreport/").content.decode()
    assert "12345" in listing and "67890" not in listing
    assert officer_client.get(
        f"/admin/snippets/hub/quarterlyreport/edit/{other.pk}/").status_code in (302, 403)
    response = officer_client.post("/admin/snippets/hub/quarterlyreport/add/", {
        "institution": itei.pk, "year": 2025, "quarter": 2, "requests_received": 1,
        "requests_on_time": 1, "appeals": 0, "people_trained": 0, "events": 0,
        "campaign_reach": 0})
    assert response.status_code == 200
    assert not QuarterlyReport.objects.filter(institution=itei, quarter=2).exists()


def test_only_coordination_defines_extra_fields(client, officer, coordinator):
    add = "/admin/snippets/hub/statisticfield/add/"
    client.force_login(officer)
    assert client.get(add).status_code in (302, 403)
    client.force_login(coordinator)
    coordinator_client = client
    coordinator_client.post(add, {"key": "solicitudes_recibidas", "label": "X",
                                  "kind": "entero", "order": 0, "minimum": "0"})
    response = coordinator_client.post(add, {"key": "solicitudes_recibidas", "label": "X",
                                             "kind": "entero", "order": 0, "minimum": "0"})
    assert "plantilla estándar" in response.content.decode()


def test_demo_builder_is_idempotent(db):
    from hub.statistics.demo import build_statistics_demo

    first = build_statistics_demo()
    assert first > 20
    assert build_statistics_demo() == 0


def test_figures_changed_while_a_visit_reads_them_are_not_kept_under_the_new_version(
        client, infoem, monkeypatch):
    """Another process saves a figure (and purges) between this visit's reading of the reports
    and its rendering of the tables: what it rendered must not be kept as the new version."""
    from hub import pagecache
    from hub.models.statistics import QuarterlyReport
    from hub.statistics import figures

    report = QuarterlyReportFactory(institution=infoem, requests_received=1111)
    client.get("/estadisticas/")
    reads = figures.reports_of_quarter

    def read_then_another_process_saves(*args):
        rows = list(reads(*args))
        QuarterlyReport.objects.filter(pk=report.pk).update(requests_received=2222)
        pagecache._bump()  # what that process's save does
        return rows

    monkeypatch.setattr(figures, "reports_of_quarter", read_then_another_process_saves)
    assert "1111" in client.get("/estadisticas/").content.decode().split("Por región")[1]
    monkeypatch.setattr(figures, "reports_of_quarter", reads)
    tables = client.get("/estadisticas/").content.decode().split("Por región")[1]
    assert "2222" in tables and "1111" not in tables


def test_open_data_says_when_a_report_changed_in_mexico_city_time(client, infoem):
    """«actualizado» came out in UTC («…T07:20:17+00:00») while every other dataset gives
    Mexico City time; a reader comparing the two saw a report changed six hours later."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    report = QuarterlyReportFactory(institution=infoem)
    row = client.get("/datos/estadisticas.json").json()["results"][0]
    stamp = dt.datetime.fromisoformat(row["actualizado"])
    assert stamp.utcoffset() == report.updated_at.astimezone(
        ZoneInfo("America/Mexico_City")).utcoffset() != dt.timedelta(0)
    assert stamp == report.updated_at
    body = b"".join(client.get("/datos/estadisticas.csv").streaming_content).decode()
    assert row["actualizado"] in body


@pytest.mark.parametrize("asked, message", [
    ("2030-T1", "El trimestre 2030-T1 aún no empieza."),
    ("2025-T9", "«2025-T9» no es un trimestre válido. Escríbalo así: 2026-T1."),
])
def test_a_template_of_a_quarter_that_cannot_be_asked_is_refused_in_spanish(
        coordinator_client, asked, message):
    """«plantilla.csv?trimestre=2030-T1» handed over, without a word, the template of another
    quarter (2026-T3): whoever filled it typed figures under a quarter they had not asked for."""
    response = coordinator_client.get(f"/admin/estadisticas/plantilla.csv?trimestre={asked}")
    assert response.status_code == 400
    assert response.content.decode() == message
    assert "attachment" not in response.get("Content-Disposition", "")


def _xlsx_with_saved_results(buffer: bytes, results: dict[str, str]) -> bytes:
    """The workbook with a saved result after the formula of each given cell, as Excel or
    LibreOffice write it (openpyxl writes an empty one; a text result is marked ``t="str"``)."""
    import re
    import zipfile

    source, out = zipfile.ZipFile(io.BytesIO(buffer)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                for cell, value in results.items():
                    kind = "" if value.isdigit() else ' t="str"'
                    text = re.sub(rf'<c r="{cell}"([^>]*)>(<f>.*?</f>)<v></v>',
                                  rf'<c r="{cell}"\1{kind}>\2<v>{value}</v>', text)
                data = text.encode()
            target.writestr(item, data)
    return out.getvalue()


def _formula_workbook() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(["ITEI", "2025-T3", 10, 10, 0, 0, 0, 0, "sin fórmulas"])
    sheet.append(["INFOEM", "2025-T3", "=60*2", 100, 3, 20, 1, 900, '="nota " & "larga"'])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_formula_without_a_saved_result_is_refused_naming_the_cell(coordinator, infoem):
    with pytest.raises(ImportFileError) as refused:
        preview_upload(uploaded=SimpleUploadedFile("e.xlsx", _formula_workbook()),
                       actor=coordinator)
    assert str(refused.value.args[0]) == (
        "La celda C3 tiene una fórmula sin resultado guardado; abra y guarde el archivo en Excel "
        "o LibreOffice, o escriba el valor.")
    assert not StatisticsImport.objects.exists() and not QuarterlyReport.objects.exists()


def test_xlsx_formula_with_its_saved_result_is_read(coordinator, infoem):
    saved = _xlsx_with_saved_results(_formula_workbook(), {"C3": "120", "I3": ""})
    batch = preview_upload(uploaded=SimpleUploadedFile("e.xlsx", saved), actor=coordinator)
    assert not batch.errors
    assert batch.rows[1]["solicitudes_recibidas"] == 120 and batch.rows[1]["observaciones"] == ""


def test_confirming_refuses_once_when_a_report_changed_since_the_preview(coordinator, infoem,
                                                                         itei):
    edited = QuarterlyReportFactory(institution=infoem, year=2025, quarter=1, requests_received=5,
                                    requests_on_time=5, notes="antes")
    batch = preview_upload(uploaded=upload(HEADER + "INFOEM,2025-T1,50,40,0,0,0,0,subida\n"
                                                    "ITEI,2025-T1,10,10,0,0,0,0,\n"),
                           actor=coordinator)
    edited.notes = "corregido en el administrador"
    edited.save()
    QuarterlyReportFactory(institution=itei, year=2025, quarter=1, requests_received=7,
                           requests_on_time=7)  # typed in the admin meanwhile
    with pytest.raises(ValidationError) as refused:
        apply_upload(batch_id=batch.pk, actor=coordinator)
    assert ("otra persona cambió estos informes: INFOEM 2025-T1, ITEI 2025-T1"
            in " ".join(refused.value.messages))
    edited.refresh_from_db()
    assert edited.notes == "corregido en el administrador" and edited.requests_received == 5
    assert QuarterlyReport.objects.get(institution=itei).requests_received == 7
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEW
    assert [r["_action"] for r in batch.rows] == ["update", "update"]
    # Seen in the new preview: confirming again replaces them.
    apply_upload(batch_id=batch.pk, actor=coordinator)
    edited.refresh_from_db()
    assert edited.notes == "subida" and edited.requests_received == 50


def test_admin_confirm_after_a_change_shows_the_reports_and_keeps_the_upload(
        coordinator_client, coordinator, infoem):
    report = QuarterlyReportFactory(institution=infoem, year=2025, quarter=1,
                                    requests_received=5, requests_on_time=5)
    batch = preview_upload(uploaded=upload(HEADER + "INFOEM,2025-T1,50,40,0,0,0,0,\n"),
                           actor=coordinator)
    report.save()
    url = f"/admin/estadisticas/cargar/{batch.pk}/"
    page = coordinator_client.post(url, follow=True)
    html = page.content.decode()
    assert "otra persona cambió estos informes: INFOEM 2025-T1" in html
    # Two sentences, not «No se guardó nada: Mientras…» with a capital after the colon.
    assert "No se guardó nada. Mientras revisaba la vista previa" in html
    assert QuarterlyReport.objects.get().requests_received == 5
