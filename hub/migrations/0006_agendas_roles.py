from django.db import migrations

from hub.roles import sync_roles


class Migration(migrations.Migration):
    """Coordinación and Comunicación get their permissions on joint agendas and lines of action."""

    dependencies = [
        ("hub", "0005_practices"),
        ("network", "0004_agendas"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
