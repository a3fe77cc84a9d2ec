from django.db import migrations

from hub.roles import sync_roles


class Migration(migrations.Migration):
    """The Comité Editorial edits and deletes its own uploads in the shared library, no longer
    every institution's images and documents."""

    dependencies = [
        ("hub", "0008_merge_practices"),
        ("network", "0010_registration_language"),
        ("campaigns", "0020_post_client_fingerprint"),
        ("contests", "0009_written_entries"),
        ("publications", "0006_file_attempted_at"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
