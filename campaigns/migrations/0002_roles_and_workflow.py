from django.db import migrations

from hub.roles import sync_roles

WORKFLOW = "Aprobación de Coordinación (canales del SNT)"
TASK = "Revisión de Coordinación"


def create_workflow(apps, schema_editor):
    """Posts to SNT channels go through Wagtail's workflow: Coordinación approves them."""
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore",
                                                     model="groupapprovaltask")
    post_type, _ = ContentType.objects.get_or_create(app_label="campaigns", model="post")
    task = GroupApprovalTask.objects.filter(name=TASK).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK, content_type=task_type, active=True)
    task.groups.set(Group.objects.filter(name="Coordinación"))
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowContentType.objects.update_or_create(content_type=post_type,
                                                 defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0001_initial"),
        ("hub", "0002_roles"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
        migrations.RunPython(create_workflow, migrations.RunPython.noop),
    ]
