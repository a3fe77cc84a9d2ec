"""Attacks on confirming a statistics upload: after a report changed, twice, another person's
batch, impossible ids. Nothing is written twice, and no one sees or applies a batch outside
their scope."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hub.models.statistics import QuarterlyReport
from hub.statistics.domain import preview_upload
from network.enums import ImportStatus
from tests.factories import sign_in_outsider
from tests.hub.statistics_factories import QuarterlyReportFactory

HEADER = ("siglas,trimestre,solicitudes_recibidas,solicitudes_en_tiempo,recursos_revision,"
          "personas_capacitadas,eventos,alcance_campanas,observaciones\n")


@pytest.fixture
def batch(officer, infoem):
    return preview_upload(uploaded=SimpleUploadedFile(
        "e.csv", (HEADER + "INFOEM,2025-T1,50,40,0,0,0,0,subida\n").encode(),
        content_type="text/csv"), actor=officer)


def _url(batch_id) -> str:
    return f"/admin/estadisticas/cargar/{batch_id}/"


def test_confirming_after_a_change_then_twice_writes_the_report_once(officer_client, infoem,
                                                                     batch):
    report = QuarterlyReportFactory(institution=infoem, year=2025, quarter=1,
                                    requests_received=5, requests_on_time=5)
    first = officer_client.post(_url(batch.pk), follow=True).content.decode()
    assert "otra persona cambió estos informes: INFOEM 2025-T1" in first
    report.refresh_from_db()
    assert report.requests_received == 5
    for _ in range(2):
        assert officer_client.post(_url(batch.pk), follow=True).status_code == 200
    assert QuarterlyReport.objects.count() == 1
    report.refresh_from_db()
    assert report.requests_received == 50
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED and batch.updated_count == 1


@pytest.mark.parametrize("role", ["other_officer", "editorial", "anonymous"])
def test_another_persons_batch_is_neither_shown_nor_applied(client, itei, batch, role):
    sign_in_outsider(client, role, itei)
    for response in (client.get(_url(batch.pk)), client.post(_url(batch.pk))):
        assert response.status_code in (302, 403, 404)
        assert "subida" not in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEW and not QuarterlyReport.objects.exists()


@pytest.mark.parametrize("batch_id", [str(2**63), str(2**63 - 1), "0", "-1", "%00", "1e3"])
def test_impossible_batch_ids_are_not_found(officer_client, batch, batch_id):
    for response in (officer_client.get(_url(batch_id)), officer_client.post(_url(batch_id))):
        assert response.status_code == 404
    assert not QuarterlyReport.objects.exists()
