from django.db import migrations

from hub.roles import sync_roles


class Migration(migrations.Migration):
    """Coordinación manages quarterly statistics and their extra fields; officers submit
    their own institution's figures."""

    dependencies = [
        ("hub", "0005_statistics"),
        ("network", "0003_updated_at"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
