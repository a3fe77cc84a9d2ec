from django.db import migrations

from hub.roles import sync_roles


class Migration(migrations.Migration):
    """Coordinación manages contests; communications officers see their dashboards only."""

    dependencies = [
        ("contests", "0001_initial"),
        ("campaigns", "0002_roles_and_workflow"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
