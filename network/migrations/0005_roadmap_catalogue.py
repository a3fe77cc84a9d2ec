"""The 16 tools of the Modelo Regional de Transparencia Municipal (seed 003), and the roles'
permissions on roadmaps. Loaded once; after that the catalogue belongs to Coordinación."""

import json
from pathlib import Path

from django.db import migrations

from hub.roles import sync_roles

DATA = Path(__file__).resolve().parent.parent / "data" / "roadmap_tools.json"


def load(apps, schema_editor):
    RoadmapTool = apps.get_model("network", "RoadmapTool")
    for item in json.loads(DATA.read_text(encoding="utf-8"))["tools"]:
        RoadmapTool.objects.get_or_create(
            name=item["name"],
            defaults={key: item[key] for key in ("dimension", "order", "description",
                                                  "duration_label", "duration_months",
                                                  "recurrence")},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0004_roadmaps"),
        ("hub", "0002_roles"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
