"""A document in a collection whose view restriction names groups (the Comité Editorial's
original texts of calls for articles: ``publications.domain.calls``) is out of reach in the
admin of anyone outside those groups: not listed, searched, offered by the chooser, chosen,
opened or edited. Officers keep every other document of the library."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.test import Client
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction
from wagtail.permissions import policy_registry

from hub import roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _document(title, collection):
    Document = get_document_model()
    document = Document(title=title, collection=collection)
    document.file.save(f"{title.lower()}.pdf", ContentFile(b"%PDF-1.4 texto"), save=False)
    document.save()
    return document


@pytest.fixture
def documents(db):
    root = Collection.get_first_root_node()
    private = root.add_child(name="Textos originales (privado)")
    restriction = CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.GROUPS)
    restriction.groups.set(Group.objects.filter(name__in=[roles.EDITORIAL, roles.COORDINATION]))
    inner = private.add_child(name="Ronda 2026")
    return {"public": _document("Infografia", root),
            "private": _document("Manuscrito", private),
            "nested": _document("Borrador", inner)}


URLS = ["/admin/documents/?q={title}", "/admin/documents/results/?q={title}",
        "/admin/documents/chooser/", "/admin/documents/chooser/results/?q={title}",
        "/admin/documents/chooser/chosen-multiple/?id={pk}"]


@pytest.mark.parametrize("which", ["private", "nested"])
def test_an_officer_never_sees_a_restricted_document(officer_client, documents, which):
    document = documents[which]
    for url in URLS:
        html = officer_client.get(url.format(title=document.title, pk=document.pk)).content
        markers = [f"chooser/chosen/{document.pk}/", f"documents/edit/{document.pk}/"]
        if "{title}" not in url:  # a search echoes the words typed
            markers.append(document.title)
        for marker in markers:
            assert marker.encode() not in html, (url, marker)
    for url in (f"/admin/documents/chooser/chosen/{document.pk}/",
                f"/admin/documents/edit/{document.pk}/",
                f"/admin/documents/usage/{document.pk}/"):
        response = officer_client.get(url)
        assert response.status_code in (302, 403, 404), url
        assert document.title.encode() not in response.content, url


def test_an_officer_keeps_the_rest_of_the_library(officer_client, documents):
    html = officer_client.get("/admin/documents/chooser/").content
    assert b"Infografia" in html
    assert officer_client.get(
        f"/admin/documents/chooser/chosen/{documents['public'].pk}/").status_code == 200


@pytest.mark.parametrize("group", [roles.EDITORIAL, roles.COORDINATION])
def test_the_groups_of_the_restriction_still_see_it(documents, group):
    client = Client()
    client.force_login(UserFactory(username="miembro", groups=[group]))
    html = client.get("/admin/documents/chooser/").content
    assert b"Manuscrito" in html and b"Borrador" in html
    assert client.get(
        f"/admin/documents/chooser/chosen/{documents['private'].pk}/").status_code == 200


def test_the_rule_is_the_documents_permission_policy(officer, documents):
    policy = policy_registry.get_by_type(get_document_model())
    assert not policy.user_has_permission_for_instance(officer, "choose", documents["nested"])
    assert policy.user_has_permission_for_instance(officer, "choose", documents["public"])
    offered = policy.instances_user_has_any_permission_for(officer, ["choose"])
    assert set(offered) == {documents["public"]}


@pytest.fixture
def staff_only(db):
    """A collection and a page marked private "to signed-in users" in the admin."""
    from wagtail.models import Page, PageViewRestriction

    from hub.bootstrap import ensure_site

    ensure_site()
    collection = Collection.get_first_root_node().add_child(name="Solo personal")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN)
    document = _document("Minuta", collection)
    document.file.save("minuta.txt", ContentFile(b"minuta interna del personal"), save=True)
    home = Page.objects.get(depth=2)
    page = home.add_child(instance=Page(title="Aviso interno del personal", slug="interno"))
    page.save_revision().publish()
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    return document, page


def _served(client, document, page):
    response = client.get(f"/documentos/{document.pk}/{document.filename}")
    body = b"".join(response.streaming_content if response.streaming else [response.content])
    return b"minuta interna" in body, b"Aviso interno" in client.get(page.url).content


def test_private_to_signed_in_users_means_staff_not_entrants_or_jurors(staff_only):
    """Anyone may open an entrant's account at /cuentas/signup/: "signed-in users" in a
    collection's or page's privacy would be everybody. It means the staff who sign in to the
    admin; entrants and jurors get neither the document nor the page."""
    from tests.contests.factories import EntrantFactory, JurorFactory

    document, page = staff_only
    for user in (EntrantFactory(username="participante-x"), JurorFactory(username="jurado-x")):
        client = Client()
        client.force_login(user)
        assert _served(client, document, page) == (False, False), user.username
    officer = Client()
    officer.force_login(UserFactory(username="oficial-x", groups=[roles.COMMUNICATIONS]))
    assert _served(officer, document, page) == (True, True)
