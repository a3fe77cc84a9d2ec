from django.db import migrations

from hub.roles import sync_roles
from publications.workflow_setup import ensure_editorial_workflow


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0002_workflow_committee_review"),
        ("campaigns", "0002_roles_and_workflow"),
        ("contests", "0002_roles"),
    ]

    operations = [
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
        migrations.RunPython(ensure_editorial_workflow, migrations.RunPython.noop),
    ]
