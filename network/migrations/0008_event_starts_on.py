"""Events store the Mexico City day of their start (``starts_on``), for the month grid."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations
from django.db.models.functions import TruncDate

import network.fields


def backfill_starts_on(apps, schema_editor):
    Event = apps.get_model("network", "Event")
    Event.objects.update(starts_on=TruncDate("starts_at", tzinfo=ZoneInfo(settings.TIME_ZONE)))


class Migration(migrations.Migration):

    dependencies = [
        ("network", "0007_merge_participation"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="starts_on",
            field=network.fields.LocalDayField(
                editable=False, null=True, source="starts_at",
                verbose_name="día de inicio (hora del centro)"),
        ),
        migrations.RunPython(backfill_starts_on, migrations.RunPython.noop, elidable=True),
    ]
