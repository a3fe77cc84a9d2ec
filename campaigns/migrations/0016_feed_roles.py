from django.db import migrations

from hub.roles import sync_roles


class Migration(migrations.Migration):
    """Officers manage their institution's RSS/Atom feeds; Coordinación all of them."""

    dependencies = [
        ("campaigns", "0015_feed_sources"),
        ("hub", "0008_merge_practices"),
        ("network", "0007_merge_participation"),
        ("contests", "0009_written_entries"),
        ("publications", "0005_merge_20261126_2106"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
