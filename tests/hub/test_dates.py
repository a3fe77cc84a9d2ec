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


def test_the_time_zone_has_one_name_on_every_screen_and_e_mail():
    """«hora del centro de México» everywhere (not «de la Ciudad de México» here and there)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    other = re.compile(r"(?i)hora(s|rios)? de la Ciudad de México")
    found = [str(p.relative_to(root)) for app in ("hub", "network", "campaigns", "contests",
                                                   "publications")
             for p in (root / app).rglob("*") if p.suffix in {".py", ".html", ".txt", ".js"}
             and "migrations" not in p.parts and other.search(p.read_text(encoding="utf-8"))]
    assert found == []
