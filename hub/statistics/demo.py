"""Demo quarterly statistics: the last two closed quarters for every current institution,
plus one field defined by the Commission. Idempotent: existing reports are left as they are."""

from __future__ import annotations

import random

from hub.models.statistics import QuarterlyReport, StatisticField
from hub.statistics.domain import current_quarter, previous_quarter
from hub.statistics.enums import FigureKind, ReportSource
from network.models import Institution

DEMO_FIELD = {"key": "denuncias_recibidas", "label": "Denuncias por incumplimiento recibidas",
              "unit": "denuncias", "kind": FigureKind.INTEGER, "required": False, "order": 10}


def build_statistics_demo() -> int:
    """Create the demo reports that are missing; return how many were created."""
    StatisticField.objects.get_or_create(key=DEMO_FIELD["key"], defaults=DEMO_FIELD)
    last = previous_quarter(*current_quarter())
    quarters = [previous_quarter(*last), last]
    created = 0
    for institution in Institution.objects.current().order_by("pk"):
        for year, quarter in quarters:
            rng = random.Random(f"{institution.acronym}-{year}-{quarter}")  # noqa: S311
            received = rng.randint(300, 9000)
            _report, was_created = QuarterlyReport.objects.get_or_create(
                institution=institution, year=year, quarter=quarter,
                defaults={
                    "requests_received": received,
                    "requests_on_time": round(received * rng.uniform(0.78, 0.99)),
                    "appeals": round(received * rng.uniform(0.02, 0.09)),
                    "people_trained": rng.randint(80, 2500),
                    "events": rng.randint(2, 40),
                    "campaign_reach": rng.randint(5000, 250000),
                    "extra": {DEMO_FIELD["key"]: rng.randint(0, 60)},
                    "source": ReportSource.UPLOAD,
                })
            created += was_created
    return created
