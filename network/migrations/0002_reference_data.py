"""Reference data: the SNT's regions, its member institutions and its commissions.

Loaded once; after that the data belongs to Coordinación, who edit it in the admin.
"""

import datetime as dt
import json
from pathlib import Path

from django.db import migrations
from django.utils.text import slugify

DATA = Path(__file__).resolve().parent.parent / "data" / "reference.json"


def _date(value):
    return dt.date.fromisoformat(value) if value else None


def load(apps, schema_editor):
    Region = apps.get_model("network", "Region")
    Institution = apps.get_model("network", "Institution")
    Commission = apps.get_model("network", "Commission")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    regions = {}
    for item in data["regions"]:
        regions[item["slug"]], _ = Region.objects.get_or_create(
            slug=item["slug"], defaults={"name": item["name"], "order": item["order"]}
        )
    by_acronym = {}
    for item in data["institutions"]:
        institution, _ = Institution.objects.get_or_create(
            acronym=item["acronym"],
            defaults={
                "name": item["name"],
                "slug": slugify(item["acronym"]),
                "kind": item.get("kind", "estatal"),
                "state": item.get("state", ""),
                "region": regions.get(item.get("region", "")),
                "website": item.get("website", ""),
                "x_handle": item.get("x_handle", ""),
                "valid_from": _date(item.get("valid_from")),
                "valid_until": _date(item.get("valid_until")),
                "notes": item.get("notes", ""),
            },
        )
        by_acronym[item["acronym"]] = institution
    for item in data["institutions"]:
        for predecessor in item.get("predecessors", []):
            by_acronym[item["acronym"]].predecessors.add(by_acronym[predecessor])
    for item in data["commissions"]:
        Commission.objects.get_or_create(
            name=item["name"],
            defaults={"short_name": item["short_name"], "slug": slugify(item["short_name"])},
        )


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
