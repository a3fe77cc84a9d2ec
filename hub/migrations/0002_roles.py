from django.db import migrations

from hub.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("hub", "0001_initial"),
        ("network", "0002_reference_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0001_initial"),
        ("wagtailimages", "0001_initial"),
        ("wagtaildocs", "0001_initial"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
