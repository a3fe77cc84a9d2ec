"""Wagtail's install creates English data that a Spanish user then sees on screen: the groups
"Moderators" and "Editors" and the default workflow and task "Moderators approval" (the editor
offered «Enviar a Moderators approval»). Give them Spanish names; only rows that still carry
Wagtail's default names are touched."""

from django.db import migrations

GROUPS = {"Moderators": "Moderadores", "Editors": "Editores"}
WORKFLOW = {"Moderators approval": "Aprobación de moderadores"}


def to_spanish(apps, schema_editor):
    _rename(apps, GROUPS, WORKFLOW)


def to_english(apps, schema_editor):
    _rename(apps, {v: k for k, v in GROUPS.items()}, {v: k for k, v in WORKFLOW.items()})


def _rename(apps, groups, workflows):
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    for old, new in groups.items():
        if not Group.objects.filter(name=new).exists():
            Group.objects.filter(name=old).update(name=new)
    for old, new in workflows.items():
        Workflow.objects.filter(name=old).update(name=new)
        Task.objects.filter(name=old).update(name=new)


class Migration(migrations.Migration):
    dependencies = [
        ("hub", "0004_system_hashtag_moves_to_campaigns"),
        ("wagtailcore", "0048_add_default_workflows"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(to_spanish, to_english)]
