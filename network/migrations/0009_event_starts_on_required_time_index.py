"""``starts_on`` is filled for every event (0008): required from here on, and indexed for the
month grid; and an index for upcoming events in start order.

A migration of its own so that PostgreSQL alters the table in a transaction without the
backfill's pending row updates.
"""

from django.db import migrations, models

import network.fields


class Migration(migrations.Migration):

    dependencies = [
        ("network", "0008_event_starts_on"),
    ]

    operations = [
        migrations.AlterField(
            model_name="event",
            name="starts_on",
            field=network.fields.LocalDayField(
                editable=False, source="starts_at",
                verbose_name="día de inicio (hora del centro)"),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["starts_at", "ends_at", "live"],
                               name="network_event_time_idx"),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["starts_on", "starts_at", "ends_at", "live"],
                               name="network_event_day_idx"),
        ),
    ]
