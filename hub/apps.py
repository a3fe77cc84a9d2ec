from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Every model of these apps has its text fields cleaned of control characters before saving.
CLEANED_APPS = frozenset({"hub", "network", "campaigns", "contests", "publications"})


def _clean_text_before_save(sender, instance, raw=False, **kwargs):
    if raw or sender._meta.app_label not in CLEANED_APPS:
        return
    from hub.safety import clean_text_fields

    clean_text_fields(instance)


class HubConfig(AppConfig):
    name = "hub"
    verbose_name = _("Sitio")

    def ready(self):
        from django.db.models.signals import pre_save

        pre_save.connect(_clean_text_before_save, dispatch_uid="hub.clean_text_before_save")
        _one_time_zone_for_everyone()
        _admin_dates_within_reason()
        _explorable_pages_in_scope()
        _chooser_create_needs_a_form()
        _chooser_names_pages_out_of_scope_by_live_title()
        _signed_in_privacy_means_staff()
        _odd_admin_posts_answered()
        _site_columns_named_in_spanish()
        _admin_fields_named_in_spanish()
        _page_search_counts_pages()
        _typed_dates_kept()
        _kept_site_shell()
        _purge_pages_on_public_changes()
        from network.domain.images import register_renditions

        register_renditions(*BODY_IMAGE_RENDITIONS)
        from hub import (
            opendata,
            practices,  # noqa: F401  (registers the good practices' open dataset)
        )
        from hub.selfassessment import datasets  # noqa: F401  (registers its open datasets)

        opendata.connect_rebuilds()


# The widths of an image block in a page body (hub/templates/hub/blocks/body.html's srcset).
BODY_IMAGE_RENDITIONS = ("width-480", "width-800", "width-1200")


def _admin_dates_within_reason():
    """Every date and time field of Wagtail's model forms (snippets, pages, settings, the
    publishing schedule) refuses absurd years on the field, keeping Wagtail's own widgets
    (``hub.safety.DateTimeField``)."""
    from django.db import models
    from wagtail.admin import widgets
    from wagtail.admin.forms.models import register_form_field_override

    from hub import safety

    register_form_field_override(models.DateTimeField, override={
        "widget": widgets.AdminDateTimeInput, "form_class": safety.DateTimeField})
    register_form_field_override(models.DateField, override={
        "widget": widgets.AdminDateInput, "form_class": safety.DateField})


def _one_time_zone_for_everyone():
    """Every screen shows Mexico City time (settings.TIME_ZONE), whatever a staff member's
    profile says: Wagtail's per-user time zone would show send times and deadlines in another
    zone without saying so. WAGTAIL_USER_TIME_ZONES = [] hides the preference; this makes a
    value stored earlier (or written directly) harmless too."""
    from django.conf import settings
    from wagtail.users.models import UserProfile

    UserProfile.get_current_time_zone = lambda self: settings.TIME_ZONE


def _explorable_pages_in_scope():
    """The pages Wagtail lets a user explore, limited by the project's page scopes
    (``hub.roles.PAGES_IN_SCOPE_HOOK``): the admin's page search and the explorer's
    search of the whole tree start from them and apply no other hook, so without this an
    officer found another institution's draft report or the committee's draft articles by
    their words."""
    from wagtail.permission_policies.pages import PagePermissionPolicy

    from hub.middleware import pages_in_scope

    original = PagePermissionPolicy.explorable_instances
    if getattr(original, "enlace_scoped", False):
        return

    def explorable_instances(self, user):
        return pages_in_scope(user, original(self, user))

    explorable_instances.enlace_scoped = True
    PagePermissionPolicy.explorable_instances = explorable_instances


def _chooser_names_pages_out_of_scope_by_live_title():
    """The page chooser names pages by their draft title (``draft_title``, the title of their
    latest version): an officer linking to a published article saw the title the committee
    gave its next version, still under review (browsing, searching, the chosen pages, a pasted
    link). While the chooser answers (``hub.middleware``), a published page with unpublished
    changes outside the user's scope is loaded with its live title as its draft title."""
    from django.db.models.signals import post_init
    from wagtail.models import Page

    from hub.middleware import page_chooser_user, page_out_of_scope

    def live_title_outside_scope(sender, instance, **kwargs):
        user = page_chooser_user.get()
        if user is None or not isinstance(instance, Page):
            return
        loaded = instance.__dict__
        if not (loaded.get("live") and loaded.get("has_unpublished_changes")
                and "draft_title" in loaded and "title" in loaded):
            return
        token = page_chooser_user.set(None)  # the scope checks load pages of their own
        try:
            if page_out_of_scope(user, instance):
                instance.draft_title = instance.title
        finally:
            page_chooser_user.reset(token)

    post_init.connect(live_title_outside_scope, weak=False,
                      dispatch_uid="hub.chooser_live_title_outside_scope")


def _signed_in_privacy_means_staff():
    """Wagtail's privacy "private, accessible to signed-in users" (of a page or a collection
    of documents) lets in anyone signed in; here anyone may open an entrant's account at
    /cuentas/signup/, so it would let in everybody. It means the staff who work in the admin
    (``network.rules.is_staff_member``): entrants and jurors are refused like visitors."""
    from wagtail.models.view_restrictions import BaseViewRestriction

    from network.rules import is_staff_member

    original = BaseViewRestriction.accept_request
    if getattr(original, "enlace_scoped", False):
        return

    def accept_request(self, request):
        if (self.restriction_type == BaseViewRestriction.LOGIN
                and not is_staff_member(request.user)):
            return False
        return original(self, request)

    accept_request.enlace_scoped = True
    BaseViewRestriction.accept_request = accept_request


def _chooser_create_needs_a_form():
    """Wagtail gives every chooser a "create" address even when the chooser has no creation
    form (none of this project's snippet choosers has one): a GET answered an empty form and
    a POST a 500 (``is_valid`` on None). Without a form the address does not exist: a 404,
    after Wagtail's own permission check."""
    from django.http import Http404
    from wagtail.admin.views.generic.chooser import CreateViewMixin

    if getattr(CreateViewMixin, "enlace_needs_form", False):
        return
    wagtails_get, wagtails_post = CreateViewMixin.get, CreateViewMixin.post

    def needs_a_form(handler):
        def view(self, request, *args, **kwargs):
            if self.get_creation_form_class() is None:
                raise Http404
            return handler(self, request, *args, **kwargs)

        view.__doc__ = handler.__doc__
        return view

    CreateViewMixin.get = needs_a_form(wagtails_get)
    CreateViewMixin.post = needs_a_form(wagtails_post)
    CreateViewMixin.enlace_needs_form = True


def _odd_admin_posts_answered():
    """Two posts no admin screen makes answered a 500 from Wagtail's code: the external-link
    chooser without its URL field (``None.startswith``) and setting the position of the tree's
    root, which has no parent. The first shows the form again with its error, the second is a
    404."""
    from django.http import Http404
    from wagtail.admin.forms.choosers import URLOrAbsolutePathField
    from wagtail.admin.views.pages.ordering import SetPagePositionView

    if getattr(SetPagePositionView, "enlace_root_has_no_position", False):
        return
    wagtails_to_python = URLOrAbsolutePathField.to_python
    wagtails_set_position = SetPagePositionView.post

    def to_python(self, value):
        return "" if value is None else wagtails_to_python(self, value)

    def post(self, request, page_to_move_id, *args, **kwargs):
        from wagtail.models import Page

        if Page.objects.filter(pk=page_to_move_id, depth=1).exists():
            raise Http404
        return wagtails_set_position(self, request, page_to_move_id, *args, **kwargs)

    URLOrAbsolutePathField.to_python = to_python
    SetPagePositionView.post = post
    SetPagePositionView.enlace_root_has_no_position = True


def _site_columns_named_in_spanish():
    """Wagtail's Sites listing heads three columns with the field's attribute name made
    readable («Port», «Site name», «Root page»), in English whatever the language: they get
    the fields' own names, which Wagtail's catalogue translates («Puerto», «Nombre del
    sitio», «Página raíz»)."""
    from django.utils.functional import lazy
    from django.utils.text import capfirst
    from wagtail.models import Site
    from wagtail.sites import views

    def label(field):
        return lazy(lambda: capfirst(field.verbose_name), str)()

    for column in views.IndexView.columns:
        if column.name in ("port", "site_name", "root_page"):
            column.label = label(Site._meta.get_field(column.name))


def _page_search_counts_pages():
    """Wagtail's page search heads its results «1-7 de 7 None»: its view names no model, and
    the count's sentence ends with the model's name. It gets the page's own names, which
    Wagtail's catalogue translates («página», «páginas»)."""
    from wagtail.admin.views.pages.search import SearchView
    from wagtail.models import Page

    SearchView.verbose_name = Page._meta.verbose_name
    SearchView.verbose_name_plural = Page._meta.verbose_name_plural


def _admin_fields_named_in_spanish():
    """Wagtail's workflow editor labels two fields with their attribute names made readable
    («Page», «Content types»), in English whatever the language; the group editor names each
    page permission box with the permission's stored English name («Can add page»); Django
    spells the language «español de Mexico»."""
    from django.utils.translation import gettext_lazy as _
    from wagtail.admin.forms.workflows import WorkflowContentTypeForm, WorkflowPageForm
    from wagtail.users.forms import PagePermissionsForm

    from hub.permission_labels import permission_label

    WorkflowPageForm.base_fields["page"].label = _("Página")
    WorkflowContentTypeForm.base_fields["content_types"].label = _("Tipos de contenido")
    PagePermissionsForm.base_fields["permissions"].label_from_instance = permission_label
    # Django names es-mx «español de Mexico», and Wagtail's account page lists it so.
    from django.conf.locale import LANG_INFO

    LANG_INFO["es-mx"]["name_local"] = "español de México"


def _typed_dates_kept():
    """Wagtail's date pickers replace, on leaving the field, a date they cannot read in
    WAGTAIL_DATE_FORMAT with today's («2026-11-20» became 28/11/2026) and roll an impossible one
    over («31/02/2026» became 03/03/2026), so *Guardar* stored a date nobody typed without a
    word. The typed text is kept: the server reads it (ISO dates too) or answers in Spanish
    that it is not a valid date, and nothing is saved."""
    from wagtail.admin.widgets import datetime as widgets

    for widget in (widgets.AdminDateInput, widgets.AdminDateTimeInput):
        original = widget.get_config
        if getattr(original, "enlace_kept", False):
            continue

        def get_config(self, _original=original):
            return {**_original(self), "validateOnBlur": False}

        get_config.enlace_kept = True
        widget.get_config = get_config


def _kept_site_shell():
    """In safe requests Wagtail finds the rows every page needs in what this process keeps per
    page-cache generation (hub/sitecache.py; a change to any of them purges), not in the
    database: the Site answering the host, with its home page; the site root paths; and the
    view restrictions, which Wagtail checks on every page it serves by reading the page's
    ancestors and then their restrictions (two queries). Restrictions are matched by path and
    the database is asked only for those that apply, if any. Routing reads each level's child
    as its own type in one query (``sitecache.child_page``). Aliases on the way, and every
    caller outside a request (tasks, commands, writes), take Wagtail's own path."""
    from wagtail.models import Page, PageViewRestriction, Site

    from hub import sitecache

    wagtails_find_site = Site.find_for_request
    wagtails_root_paths = Site.get_site_root_paths
    wagtails_restrictions = Page.get_view_restrictions
    wagtails_route = Page.route

    def find_for_request(request):
        if (request is not None and not hasattr(request, "_wagtail_site")
                and sitecache.active()):
            request._wagtail_site = sitecache.site_for_request(request)
        return wagtails_find_site(request)

    def get_site_root_paths():
        return sitecache.remember(("site-root-paths",), wagtails_root_paths)

    def get_view_restrictions(self):
        ids = sitecache.view_restriction_ids(self)
        if ids is None:
            return wagtails_restrictions(self)
        if not ids:
            return PageViewRestriction.objects.none()
        return PageViewRestriction.objects.filter(pk__in=ids)

    def route(self, request, path_components):
        if path_components:
            child = sitecache.child_page(self, path_components[0])
            if child is not None:
                return child.route(request, path_components[1:])
        return wagtails_route(self, request, path_components)

    for ours, wagtails in ((find_for_request, wagtails_find_site),
                           (get_site_root_paths, wagtails_root_paths),
                           (get_view_restrictions, wagtails_restrictions),
                           (route, wagtails_route)):
        ours.__doc__ = wagtails.__doc__
    Site.find_for_request = staticmethod(find_for_request)
    Site.get_site_root_paths = staticmethod(get_site_root_paths)
    Page.get_view_restrictions = get_view_restrictions
    Page.route = route


def _purge_pages_on_public_changes():
    """Pages purge the page cache when published, unpublished, moved or deleted; so do the
    site-wide pieces every page shows or obeys (hub/pagecache.py)."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import CollectionViewRestriction, PageViewRestriction, Site

    from hub import pagecache
    from hub.models import (
        AssessmentComponent,
        AssessmentQuestion,
        AssessmentRecommendation,
        SiteSettings,
    )

    pagecache.connect_page_signals()
    pagecache.register_public_models(SiteSettings, Site, PageViewRestriction,
                                     CollectionViewRestriction, get_image_model(),
                                     get_document_model())
    # The self-assessment's questionnaire: its form page, the home link and /datos/ show it.
    pagecache.register_public_models(AssessmentComponent, AssessmentQuestion,
                                     AssessmentRecommendation)
    _statistics()


def _statistics():
    """The quarterly statistics: open dataset, permissions, and the public page's purges."""
    from hub import pagecache
    from hub.models import QuarterlyReport, StatisticField
    from hub.statistics import datasets, rules  # noqa: F401  (register the dataset and perms)

    pagecache.register_public_models(QuarterlyReport, StatisticField)
