"""Dates read naturally in each language: «10 de diciembre de 2026» in Spanish (month in lower
case), «10 December 2026» in English (never «10 de December»)."""

import datetime as dt

from django.template import Context, Template
from django.utils import translation

TEMPLATE = Template('{{ d|date:"DATE_FORMAT" }}|{{ d|date:"YEAR_MONTH_FORMAT" }}|'
                    '{{ d|date:"MONTH_DAY_FORMAT" }}')


def test_spanish_writes_month_names_in_lower_case():
    with translation.override("es-mx"):
        text = TEMPLATE.render(Context({"d": dt.date(2026, 12, 10)}))
    assert text == "10 de diciembre de 2026|diciembre de 2026|10 de diciembre"


def test_english_writes_english_dates():
    with translation.override("en"):
        text = TEMPLATE.render(Context({"d": dt.date(2026, 12, 10)}))
    assert text == "10 December 2026|December 2026|10 December"
