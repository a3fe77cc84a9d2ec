"""The editorial workflow's rows: created by migration 0003 and, after a test flushes the
database, by ``ensure_editorial_workflow(django.apps.apps)``."""

WORKFLOW = "Revisión del Comité Editorial"
REVIEW = "Revisión del Comité Editorial"
PUBLICATION = "Publicación"
SECTION_PAGES = ("magazinepage", "bookletindexpage")


def ensure_editorial_workflow(apps, schema_editor=None):
    """Articles and booklet editions go through the committee's review, then "Publicación"
    (approved by the committee or Coordinación), assigned to the magazine and booklet index
    pages that exist (new ones get it from ``publications.signals.workflow``)."""
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    CommitteeReviewTask = apps.get_model("publications", "CommitteeReviewTask")

    committee = Group.objects.filter(name="Comité Editorial")
    review_type, _ = ContentType.objects.get_or_create(app_label="publications",
                                                       model="committeereviewtask")
    approval_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore",
                                                         model="groupapprovaltask")
    review = CommitteeReviewTask.objects.filter(name=REVIEW).first()
    if review is None:
        review = CommitteeReviewTask.objects.create(name=REVIEW, content_type=review_type,
                                                    active=True, quorum=2)
    review.groups.set(committee)
    publication = GroupApprovalTask.objects.filter(name=PUBLICATION).first()
    if publication is None:
        publication = GroupApprovalTask.objects.create(name=PUBLICATION,
                                                       content_type=approval_type, active=True)
    publication.groups.set(Group.objects.filter(name__in=["Comité Editorial", "Coordinación"]))
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=review, defaults={"sort_order": 0})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=publication,
                                       defaults={"sort_order": 1})
    for page in Page.objects.filter(content_type__app_label="publications",
                                    content_type__model__in=SECTION_PAGES):
        WorkflowPage.objects.get_or_create(page=page, defaults={"workflow": workflow})


