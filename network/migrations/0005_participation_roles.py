from django.db import migrations

from hub.roles import sync_roles


class Migration(migrations.Migration):
    """Coordinación and officers see registrants and take attendance (scoped by rules)."""

    dependencies = [
        ("network", "0004_participation"),
        ("hub", "0004_system_hashtag_moves_to_campaigns"),
        ("contests", "0009_written_entries"),
        ("publications", "0005_merge_20261126_2106"),
        ("campaigns", "0012_merge_engine_and_settings"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
