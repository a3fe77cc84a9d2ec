"""Attacks on «Iniciar hoja de ruta»'s start date and on the agreement id in its address: every
answer is a page with a Spanish message or a refusal (never a 500), and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from network.models import Roadmap
from tests.factories import AgreementFactory, PersonFactory, sign_in_outsider


@pytest.fixture
def open_ended(infoem):
    """An agreement in force with no end date: any later start is within its term."""
    start = timezone.localdate() - dt.timedelta(days=30)
    return AgreementFactory(title="Convenio Metepec", municipality="Metepec",
                            municipality_state="MEX", signed_on=start, valid_from=start,
                            valid_until=None, institutions=[infoem],
                            responsible=[PersonFactory(institution=None)])


def _url(agreement) -> str:
    return f"/admin/red/hojas-de-ruta/iniciar/{agreement.pk}/"


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "", "mañana", "%00",
                                   "2026-02-30", str(2**63), "9" * 5000])
def test_an_odd_start_date_is_refused_in_spanish_and_starts_nothing(coordinator_client,
                                                                    open_ended, value):
    response = coordinator_client.post(_url(open_ended), {"project_months": "12",
                                                          "starts_on": value})
    assert response.status_code == 200
    assert 'class="error-message"' in response.content.decode() or "no puede" in (
        response.content.decode())
    assert not Roadmap.objects.exists()


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01"])
def test_a_start_date_in_an_absurd_year_names_the_years_allowed(coordinator_client, open_ended,
                                                                value):
    response = coordinator_client.post(_url(open_ended), {"project_months": "12",
                                                          "starts_on": value})
    assert "Escriba un año entre 1900 y 2999." in response.content.decode()


@pytest.mark.parametrize("role", ["other_officer", "editorial", "anonymous"])
def test_people_outside_the_parties_cannot_open_or_start_it(client, open_ended, itei, role):
    sign_in_outsider(client, role, itei)
    for response in (client.get(_url(open_ended)),
                     client.post(_url(open_ended), {"project_months": "12",
                                                    "starts_on": timezone.localdate()})):
        assert response.status_code in (302, 403, 404)
        assert "Metepec" not in response.content.decode()
    assert not Roadmap.objects.exists()


def test_the_domain_refuses_an_absurd_year_whoever_calls_it(coordinator, open_ended):
    """A job, a script or another screen calling the domain directly is held to the same
    years as the form: milestones dated past year 9999 overflowed (ValueError) before."""
    from django.core.exceptions import ValidationError

    from network.domain.roadmaps import start_roadmap

    with pytest.raises(ValidationError) as refused:
        start_roadmap(open_ended, actor=coordinator, starts_on=dt.date(9999, 12, 31))
    assert "Escriba un año entre 1900 y 2999." in str(refused.value)
    assert not Roadmap.objects.exists()
