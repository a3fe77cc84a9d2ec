"""The staff roles of Enlace, as Django/Wagtail groups.

``ROLES`` is the single description of what each group may do. Migrations call
``sync_roles`` (each app that adds models adds a migration that calls it again), so the
groups exist with exactly these permissions on every database.
"""

from __future__ import annotations

# The group names: ground every app may use (network.rules builds its predicates on them).
COORDINATION = "Coordinación"
COMMUNICATIONS = "Comunicación"
EDITORIAL = "Comité Editorial"
JURY = "Jurado"
STAFF_GROUPS = (COORDINATION, COMMUNICATIONS, EDITORIAL, JURY)

# Wagtail's per-page admin views that pass no ``before_*_page`` hook (history, revisions,
# compare, draft view and preview, workflow history, usage, lock, privacy…) ask this hook:
# each function takes (user, page) and answers True when the page is outside the user's scope.
PAGE_OUT_OF_SCOPE_HOOK = "enlace_admin_page_out_of_scope"
# The same rule for listings that no per-page check reaches (the admin's page search, the
# explorer's search of the whole tree): each function takes (user, pages) and returns the
# pages left in the user's scope. ``hub.apps`` applies them to the pages Wagtail lets a user
# explore, which every such listing starts from.
PAGES_IN_SCOPE_HOOK = "enlace_admin_pages_in_scope"

ALL = ("add", "change", "delete", "view")
EDIT = ("add", "change", "view")
VIEW = ("view",)

ROLES: dict[str, dict] = {
    COORDINATION: {
        "admin": True,
        "models": {
            "network.region": ALL, "network.institution": ALL, "network.person": ALL,
            "network.staffprofile": ALL, "network.commission": ALL, "network.ally": ALL,
            "network.agreement": ALL, "network.event": ALL + ("publish",),
            "network.videocapsule": ALL + ("publish",), "network.importbatch": ALL,
            # Municipal roadmaps: the catalogue of tools is Coordinación's; roadmaps are
            # started and updated through network.domain.roadmaps (rules decide who).
            "network.roadmaptool": ALL, "network.roadmap": ("view", "change"),
            "network.milestone": ("view", "change"),
            "network.jointagenda": ALL, "network.actionline": ALL,
            "network.registration": ("view", "change"), "network.surveyresponse": VIEW,
            "hub.sitesettings": ("change",),
            # The self-assessment's questionnaire and recommendations (hub/models/assessment.py).
            "hub.assessmentcomponent": ALL, "hub.assessmentquestion": ALL,
            "hub.assessmentrecommendation": ALL,
            "hub.quarterlyreport": ALL, "hub.statisticfield": ALL,
            "hub.statisticsimport": ALL,
            "wagtaildocs.document": ALL, "wagtailimages.image": ALL,
            "campaigns.channel": ALL, "campaigns.campaign": ALL,
            "campaigns.campaignsettings": ("change",), "campaigns.feedsource": ALL,
            "campaigns.post": ALL + ("publish", "lock", "unlock"),
            "campaigns.delivery": ("view", "change"),
            "contests.entry": ("manage_contests", "view_entrant_data", "view_contest_stats"),
        },
        "pages": ("add", "change", "publish", "bulk_delete", "lock", "unlock"),
        "collections": {"wagtailimages": ("add", "change", "choose"),
                        "wagtaildocs": ("add", "change", "choose")},
    },
    COMMUNICATIONS: {
        "admin": True,
        "models": {
            "network.institution": ("change", "view"), "network.person": EDIT,
            "network.event": EDIT + ("publish",), "network.videocapsule": EDIT + ("publish",),
            "network.commission": VIEW, "network.ally": VIEW, "network.agreement": VIEW,
            "network.region": VIEW,
            # Roadmaps of the agreements their institution signed (network.rules.is_party_of).
            "network.roadmaptool": VIEW, "network.roadmap": VIEW,
            "network.milestone": ("view", "change"),
            # Joint agendas of their institution's region (network.rules.can_edit_region_agenda).
            "network.jointagenda": EDIT, "network.actionline": EDIT,
            # Their institution's events only (network.rules.can_manage_registrations).
            "network.registration": ("view", "change"), "network.surveyresponse": VIEW,
            # Scoped to their institution's channels and posts (campaigns.admin).
            "campaigns.channel": EDIT, "campaigns.campaign": EDIT,
            "campaigns.post": EDIT + ("publish", "lock", "unlock"),
            "campaigns.delivery": ("view", "change"),
            # Their institution's RSS/Atom feeds (campaigns.rules.can_act_on_feed).
            "campaigns.feedsource": ALL,
            # Contests: aggregate dashboards only; no entries, files or entrants' data.
            "contests.entry": ("view_contest_stats",),
            # Quarterly statistics of their own institution (hub.statistics.rules).
            "hub.quarterlyreport": EDIT, "hub.statisticfield": VIEW,
            "hub.statisticsimport": ("add", "view"),
        },
        "pages": ("add", "change"),
        "collections": {"wagtailimages": ("add", "choose"), "wagtaildocs": ("add", "choose")},
    },
    EDITORIAL: {
        "admin": True,
        # The publications section and nothing else: pages only under the magazine and the
        # booklet index (granted where those pages are, see ``page_roots``), the
        # publications snippets, and proposing posts to SNT channels to share what it
        # publishes (Coordinación approves those in the campaigns workflow).
        "models": {"network.institution": VIEW,
                   "publications.author": ALL, "publications.section": ALL,
                   "publications.law": EDIT, "publications.reform": EDIT,
                   "publications.bookletseries": EDIT, "publications.publicationfile": VIEW,
                   "publications.readingcount": VIEW,
                   "publications.publicationsettings": ("change",),
                   "campaigns.post": EDIT, "campaigns.campaign": VIEW,
                   "campaigns.channel": VIEW, "campaigns.delivery": VIEW},
        "pages": ("add", "change", "publish"),
        "page_roots": ("publications.magazinepage", "publications.bookletindexpage"),
        # As Comunicación: each member edits and deletes what they uploaded and chooses the
        # rest. "change" on the root collection let them delete every institution's images
        # and documents (Wagtail's change includes delete).
        "collections": {"wagtailimages": ("add", "choose"), "wagtaildocs": ("add", "choose")},
    },
    # Jurors work in a restricted area of the public site, not in the CMS admin.
    JURY: {"admin": False, "models": {}, "pages": (), "collections": {}},
}


def _ensure_permissions(apps) -> None:
    """Permissions normally appear after migrate; create them now so groups can use them."""
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions
    from wagtail.snippets.models import create_extra_permissions

    for app_config in global_apps.get_app_configs():
        original, app_config.models_module = app_config.models_module, True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = original
    # The "publish"/"lock" permissions of snippets with draft states (events, capsules, posts).
    for label in ("network", "campaigns"):
        create_extra_permissions(global_apps.get_app_config(label))


def _migrated(apps, app_label: str, model: str) -> bool:
    try:
        apps.get_model(app_label, model)
    except LookupError:
        return False
    return True


def sync_roles(apps, schema_editor=None) -> None:
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")

    # Every permission in one query (a role names dozens; one query each made this slow in
    # each migration that re-syncs the roles, and in each test that reloads the reference data).
    permissions = {(p.content_type.app_label, p.codename): p
                   for p in Permission.objects.select_related("content_type")}

    def perm(app_label: str, codename: str):
        try:
            return permissions[(app_label, codename)]
        except KeyError:
            raise LookupError(f"No permission {app_label}.{codename}") from None

    root_page = Page.objects.filter(depth=1).first()
    ContentType = apps.get_model("contenttypes", "ContentType")
    root_collection = Collection.objects.filter(depth=1).first()
    for name, spec in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = []
        if spec["admin"]:
            wanted.append(perm("wagtailadmin", "access_admin"))
        for label, actions in spec["models"].items():
            app_label, model = label.split(".")
            if not _migrated(apps, app_label, model):
                continue  # a later migration of that app calls sync_roles again
            wanted += [perm(app_label, action if "_" in action else f"{action}_{model}")
                       for action in actions]
        group.permissions.set(wanted)
        if root_page:
            GroupPagePermission.objects.filter(group=group).delete()
            if "page_roots" in spec:
                pages = list(Page.objects.filter(content_type__in=[
                    ct for ct in (ContentType.objects.filter(app_label=label.split(".")[0],
                                                             model=label.split(".")[1]).first()
                                  for label in spec["page_roots"]) if ct is not None]))
            else:
                pages = [root_page]
            GroupPagePermission.objects.bulk_create([
                GroupPagePermission(group=group, page=page,
                                    permission=perm("wagtailcore", f"{action}_page"))
                for page in pages for action in spec["pages"]])
        if root_collection:
            GroupCollectionPermission.objects.filter(group=group).delete()
            model = {"wagtailimages": "image", "wagtaildocs": "document"}
            GroupCollectionPermission.objects.bulk_create([
                GroupCollectionPermission(group=group, collection=root_collection,
                                          permission=perm(app_label, f"{action}_{model[app_label]}"))
                for app_label, actions in spec["collections"].items() for action in actions])


def grant_section_permissions(page) -> None:
    """Give the roles whose ``page_roots`` name ``page``'s type their page permissions on it
    (a magazine or booklet index created after the migrations). Idempotent."""
    from django.apps import apps as global_apps

    Group = global_apps.get_model("auth", "Group")
    Permission = global_apps.get_model("auth", "Permission")
    GroupPagePermission = global_apps.get_model("wagtailcore", "GroupPagePermission")
    label = f"{page._meta.app_label}.{page._meta.model_name}"
    for name, spec in ROLES.items():
        if label not in spec.get("page_roots", ()):
            continue
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        for action in spec["pages"]:
            permission = Permission.objects.get(content_type__app_label="wagtailcore",
                                                codename=f"{action}_page")
            GroupPagePermission.objects.get_or_create(group=group, page_id=page.pk,
                                                      permission=permission)
