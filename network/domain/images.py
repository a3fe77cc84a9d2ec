"""Images: the rules for those the network uploads (institution logos), and their renditions.

Public pages never make a rendition: every size a public template asks for is registered here
(``register_renditions``), and ``make_renditions`` makes them when an image is saved (the
``network.make_renditions`` job, enqueued after commit by ``network.apps``). A template that
shows an image at a new size registers that size next to its ``{% srcset_image %}``;
``tests/network/test_renditions.py`` crawls the public pages and fails on any rendition a
request made.
"""

import logging
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


def validate_logo(image) -> None:
    """Refuse a logo that is too heavy to show in the directory.

    Wagtail's own image form already refuses files that are not images and files over
    ``WAGTAILIMAGES_MAX_UPLOAD_SIZE``; a logo has a tighter limit of its own.
    """
    limit = settings.ENLACE_LOGO_MAX_BYTES
    size = image.get_file_size() if hasattr(image, "get_file_size") else image.file_size
    if size and size > limit:
        raise ValidationError(
            {"logo": _("El logotipo pesa %(size)s; el máximo es %(limit)s. Suba una versión "
                       "más ligera (PNG o SVG exportado a PNG).")
             % {"size": filesizeformat(size), "limit": filesizeformat(limit)}}
        )


log = logging.getLogger(__name__)

# Filter specs of every rendition a public template shows (the expansions of its srcset).
_RENDITIONS: dict[str, None] = {}


def register_renditions(*filter_specs: str) -> None:
    """Declare sizes a public template shows; an app calls it from its ``AppConfig.ready``."""
    for spec in filter_specs:
        _RENDITIONS[spec] = None


def registered_renditions() -> list[str]:
    return list(_RENDITIONS)


# network's own templates: directory and institution logos, capsule thumbnails.
register_renditions("max-96x96", "max-192x192",      # directory.html
                    "max-160x160", "max-320x320",    # institution.html
                    "fill-320x180", "fill-640x360")  # capsules.html


def make_renditions(image_id: int) -> int:
    """Make every registered rendition of one image that does not exist yet; returns how many
    sizes were asked for. A deleted image, or one whose file is missing, is skipped quietly."""
    from wagtail.images import get_image_model

    image = get_image_model().objects.filter(pk=image_id).first()
    specs = registered_renditions()
    if image is None or not specs:
        return 0
    try:
        with _making_renditions_of(image):
            image.get_renditions(*specs)
    except (OSError, ValueError) as exc:  # missing or unreadable source file
        log.warning("Could not make the renditions of image %s: %s", image_id, exc)
        return 0
    return len(specs)


RENDITIONS_FOLDER = "images"  # Wagtail's AbstractRendition.get_upload_to


def orphan_renditions(older_than) -> list[str]:
    """Rendition files in storage that no rendition row names, last written before
    ``older_than`` (a file just written whose row is about to be saved is not one of them).
    Left by two jobs making the same rendition at once, before ``rendition`` serialised them."""
    from wagtail.images import get_image_model
    from wagtail.images.models import get_rendition_storage

    storage = get_rendition_storage()
    try:
        _folders, names = storage.listdir(RENDITIONS_FOLDER)
    except FileNotFoundError:
        return []
    named = set(get_image_model().get_rendition_model().objects.values_list("file", flat=True))
    found = []
    for name in sorted(names):
        path = f"{RENDITIONS_FOLDER}/{name}"
        if path not in named and storage.get_modified_time(path) < older_than:
            found.append(path)
    return found


def remove_orphan_renditions(older_than) -> int:
    """Delete ``orphan_renditions(older_than)``; returns how many. Side effect: files deleted
    from the rendition storage, nothing in the database."""
    from wagtail.images.models import get_rendition_storage

    storage = get_rendition_storage()
    paths = orphan_renditions(older_than)
    for path in paths:
        storage.delete(path)
    if paths:
        log.info("Deleted %s rendition files that no rendition named", len(paths))
    return len(paths)


def rendition(image, spec: str):
    """``image.get_rendition(spec)`` for code that may run at the same moment as another job
    making the same size (a post's renditions job and its deliveries): see
    ``_making_renditions_of``."""
    with _making_renditions_of(image):
        return image.get_rendition(spec)


@contextmanager
def _making_renditions_of(image):
    """One process at a time makes an image's renditions; the next finds them made.

    Two jobs that missed the same rendition both made its file, and the second one's INSERT
    failed on Wagtail's unique constraint: its file stayed on disk with no row pointing to it,
    and worker processes kept such renditions' temporary files open. The image's row is locked
    (PostgreSQL) or the database's write lock taken (SQLite opens every transaction IMMEDIATE)
    while the renditions are looked up and made.
    """
    from django.db import transaction
    from wagtail.images import get_image_model

    with transaction.atomic():
        # NO KEY: rows that merely point to the image (a post's, a page's) need not wait.
        list(get_image_model().objects.select_for_update(no_key=True)
             .filter(pk=image.pk).values_list("pk"))
        yield


def enqueue_renditions(image_id: int) -> None:
    """Ask a worker for the renditions once the image's transaction has committed; a broker
    that is down is logged (``manage.py make_renditions`` makes what is missing), never raised."""
    from django.db import transaction

    def send():
        from celery import current_app

        try:
            current_app.send_task("network.make_renditions", kwargs={"image_id": image_id})
        except Exception as exc:  # kombu/redis raise many kinds; saving an image must not fail
            log.warning("Could not enqueue the renditions of image %s: %s", image_id, exc)

    transaction.on_commit(send, robust=True)


def public_documents():
    """Documents outside any collection with a view restriction (nor under one): the only ones
    that may be linked from a public page or open data as evidence."""
    from django.db.models import Exists, OuterRef
    from django.db.models.functions import Length, Substr
    from wagtail.documents import get_document_model
    from wagtail.models import CollectionViewRestriction

    restricted = CollectionViewRestriction.objects.filter(
        collection__path=Substr(OuterRef("collection__path"), 1, Length("collection__path")))
    return get_document_model().objects.exclude(Exists(restricted))


def _collections_restricted_to_others(user) -> list[int]:
    """The collections with a view restriction for groups ``user`` is not in (the Comité
    Editorial's original texts, for instance), and every collection under them."""
    from django.db.models import Q
    from wagtail.models import Collection, CollectionViewRestriction

    restrictions = CollectionViewRestriction.objects.filter(
        restriction_type=CollectionViewRestriction.GROUPS)
    if getattr(user, "is_authenticated", False):
        restrictions = restrictions.exclude(groups__in=user.groups.all())
    paths = list(restrictions.values_list("collection__path", flat=True).distinct())
    if not paths:
        return []
    under = Q()
    for path in paths:
        under |= Q(path__startswith=path)
    return list(Collection.objects.filter(under).values_list("pk", flat=True))


def documents_in_reach(user, queryset):
    """The documents of ``queryset`` that ``user`` may find, choose or edit in the admin: none
    kept behind a group restriction the user is not part of. Superusers reach every one.
    (A list of collections, not a subquery: the admin's search backend filters with it.)"""
    if getattr(user, "is_superuser", False):
        return queryset
    hidden = _hidden_collections(user)
    return queryset.exclude(collection_id__in=hidden) if hidden else queryset


def _hidden_collections(user) -> list[int]:
    """``_collections_restricted_to_others``, worked out once per user object (one request):
    a listing asks about every row."""
    hidden = getattr(user, "_enlace_hidden_collections", None)
    if hidden is None:
        hidden = _collections_restricted_to_others(user)
        if getattr(user, "is_authenticated", False):
            user._enlace_hidden_collections = hidden
    return hidden


def document_permission_policy():
    """Wagtail's permission policy for documents (collections and ownership), narrowed by
    ``documents_in_reach``: every admin view of documents (listing, search, chooser, chosen,
    edit, usage, bulk actions) asks it. Registered by ``network.apps``."""
    from wagtail.documents import get_document_model_string
    from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy

    class RestrictedCollectionsPolicy(CollectionOwnershipPermissionPolicy):
        def instances_user_has_any_permission_for(self, user, actions):
            return documents_in_reach(
                user, super().instances_user_has_any_permission_for(user, actions))

        def instances_user_has_permission_for(self, user, action):
            return documents_in_reach(
                user, super().instances_user_has_permission_for(user, action))

        def _in_reach(self, user, instance) -> bool:
            if instance.pk is None or getattr(user, "is_superuser", False):
                return True
            return instance.collection_id not in _hidden_collections(user)

        def user_has_permission_for_instance(self, user, action, instance):
            return (super().user_has_permission_for_instance(user, action, instance)
                    and self._in_reach(user, instance))

        def user_has_any_permission_for_instance(self, user, actions, instance):
            return (super().user_has_any_permission_for_instance(user, actions, instance)
                    and self._in_reach(user, instance))

    return RestrictedCollectionsPolicy(get_document_model_string(),
                                       auth_model="wagtaildocs.Document",
                                       owner_field_name="uploaded_by_user")
