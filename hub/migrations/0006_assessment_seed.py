from django.db import migrations

from hub.roles import sync_roles
from hub.selfassessment.seed import load


def seed_and_roles(apps, schema_editor):
    load(apps, schema_editor)
    sync_roles(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("hub", "0005_assessment")]

    operations = [migrations.RunPython(seed_and_roles, migrations.RunPython.noop)]
