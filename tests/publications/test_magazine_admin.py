"""Bad input through the Wagtail admin, as an editor meets it: a Spanish message on the field,
nothing saved, never a 500. And the authors' snippets (e-mail only for who may see it)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from publications.models import ArticlePage, Author, IssuePage, IssueTocEntry
from tests.factories import UserFactory
from tests.publications import factories as f

pytestmark = pytest.mark.django_db

LONG_BIO = " ".join(["palabra"] * 31)


@pytest.fixture
def editor_client(client, db):
    """A member of the Comité Editorial who manages authors and sections (its role grants
    these; granted here too so this file does not depend on the roles migration)."""
    from hub.roles import EDITORIAL

    group = Group.objects.get(name=EDITORIAL)
    group.permissions.add(*Permission.objects.filter(
        content_type__app_label="publications",
        codename__in=[f"{a}_{m}" for a in ("add", "change", "view", "delete")
                      for m in ("author", "section")]))
    client.force_login(UserFactory(username="comite", groups=[EDITORIAL]))
    return client


def author_data(**overrides):
    data = {"given_names": "Ana", "family_names": "Gómez", "institution": "",
            "affiliation": "UNAM", "orcid": "0000-0002-1825-0097", "bio": "Investigadora.",
            "email": "ana@example.org"}
    data.update(overrides)
    return data


@pytest.mark.parametrize(("field", "value", "message"), [
    ("orcid", "0000-0002-1825-0098", "dígito verificador"),
    ("orcid", "1234", "El ORCID debe tener la forma"),
    ("bio", LONG_BIO, "Use como máximo 30 palabras (tiene 31)"),
])
def test_author_with_bad_input_is_refused_with_a_spanish_message(editor_client, field, value,
                                                                   message):
    response = editor_client.post("/admin/snippets/publications/author/add/",
                                       author_data(**{field: value}))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors[field])
    assert not Author.objects.exists()


def test_author_list_shows_affiliation_and_orcid_and_email_only_to_who_may_see_it(
        client, editor_client):
    author = f.AuthorFactory(affiliation="El Colegio de México", orcid="0000-0002-1825-0097",
                             email="privada@example.org")
    listing = editor_client.get("/admin/snippets/publications/author/")
    html = listing.content.decode()
    assert "El Colegio de México" in html and "0000-0002-1825-0097" in html
    assert "privada@example.org" not in html
    edit_url = f"/admin/snippets/publications/author/edit/{author.pk}/"
    assert "privada@example.org" in editor_client.get(edit_url).content.decode()
    editor_client.logout()
    # A staff user allowed to edit authors, but neither committee nor coordination.
    group = Group.objects.create(name="Correctores")
    group.permissions.add(Permission.objects.get(codename="access_admin"),
                          *Permission.objects.filter(content_type__app_label="publications",
                                                     codename__in=["change_author", "view_author"]))
    proofreader = UserFactory(username="corrector", is_staff=True, groups=[group.name])
    client.force_login(proofreader)
    page = client.get(edit_url)
    assert page.status_code == 200
    assert "privada@example.org" not in page.content.decode()
    # Saving without the hidden field keeps the e-mail.
    client.post(edit_url, author_data(bio="Corrige estilo.", email="otra@example.org"))
    author.refresh_from_db()
    assert author.email == "privada@example.org" and author.bio == "Corrige estilo."


def issue_data(**overrides):
    data = {"title": "Número nuevo", "slug": "numero-nuevo", "volume": "1", "number": "1",
            "issue_date": "2026-11-01", "theme": "Archivos", "licence": "CC-BY-4.0",
            "cover": "", "presentation": rich_text("<p>Presentación.</p>"),
            "toc_entries": inline_formset([]), "comments": inline_formset([]),
            "seo_title": "", "search_description": "", "go_live_at": "", "expire_at": "",
            "share_image": ""}
    data.update(overrides)
    return nested_form_data(data)


def article_data(author, **overrides):
    data = {"title": "Nuevo artículo", "slug": "nuevo-articulo", "subtitle": "", "section": "",
            "article_authors": inline_formset([{"author": author.pk, "corresponding": ""}]),
            "abstract": "Un resumen.", "keywords": "datos", "body": streamfield([]),
            "first_page": "", "last_page": "", "doi": "", "licence": "CC-BY-4.0",
            "comments": inline_formset([]), "seo_title": "", "search_description": "",
            "go_live_at": "", "expire_at": "", "share_image": ""}
    data.update(overrides)
    return nested_form_data(data)


def test_duplicate_issue_number_in_a_volume_is_shown_on_the_number_field(coordinator_client,
                                                                          site):
    mag = f.magazine(site)
    f.issue(mag, volume=1, number=1)
    before = IssuePage.objects.count()
    response = coordinator_client.post(f"/admin/pages/add/publications/issuepage/{mag.pk}/",
                                       issue_data(number="1", slug="otro"))
    assert response.status_code == 200
    assert "Ya existe el número 1 del volumen 1." in response.context["form"].errors["number"]
    assert IssuePage.objects.count() == before


def test_copying_an_issue_does_not_fail_and_its_copy_must_change_number(coordinator_client,
                                                                         site):
    mag = f.magazine(site)
    issue = f.issue(mag, volume=1, number=5)
    f.article(issue)
    response = coordinator_client.post(f"/admin/pages/{issue.pk}/copy/", {
        "new_title": "Copia", "new_slug": "copia", "new_parent_page": mag.pk,
        "copy_subpages": "on", "publish_copies": ""})
    assert response.status_code == 302
    copy = IssuePage.objects.get(slug="copia")
    assert not copy.live
    # The copy's TOC points at the copied articles, never at the original's.
    own = set(ArticlePage.objects.child_of(copy).values_list("pk", flat=True))
    assert set(copy.toc_entries.values_list("article_id", flat=True)) <= own
    edit = coordinator_client.post(f"/admin/pages/{copy.pk}/edit/", issue_data(
        title="Copia", slug="copia", number="5"))
    assert edit.status_code == 200
    assert "Ya existe el número 5 del volumen 1." in edit.context["form"].errors["number"]


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"doi": "https://doi.org/10.1/x"}, "doi", "El DOI debe tener la forma"),
    ({"first_page": "20", "last_page": "3"}, "last_page",
     "La página final no puede ser anterior a la inicial."),
])
def test_article_with_bad_metadata_is_refused(coordinator_client, site, overrides, field,
                                              message):
    issue = f.issue(f.magazine(site))
    response = coordinator_client.post(
        f"/admin/pages/add/publications/articlepage/{issue.pk}/",
        article_data(f.AuthorFactory(), **overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not ArticlePage.objects.exists()


def test_figure_without_alt_text_is_refused(coordinator_client, site):
    issue = f.issue(f.magazine(site))
    image = Image.objects.create(title="Gráfica", file=get_test_image_file())
    body = streamfield([("figure", {"image": image.pk, "alt_text": "  ", "caption": "Fig. 1",
                                    "source": ""})])
    response = coordinator_client.post(
        f"/admin/pages/add/publications/articlepage/{issue.pk}/",
        article_data(f.AuthorFactory(), body=body))
    assert response.status_code == 200
    assert "body" in response.context["form"].errors
    assert "Escriba el texto alternativo" in response.content.decode() or \
        "texto alternativo" in str(response.context["form"].errors["body"].as_data())
    assert not ArticlePage.objects.exists()


def test_new_article_is_appended_to_its_issue_toc(coordinator_client, site):
    issue = f.issue(f.magazine(site))
    first = f.article(issue)
    response = coordinator_client.post(
        f"/admin/pages/add/publications/articlepage/{issue.pk}/",
        article_data(f.AuthorFactory()))
    assert response.status_code == 302
    new = ArticlePage.objects.get(slug="nuevo-articulo")
    assert list(issue.toc_entries.order_by("sort_order").values_list("article_id", flat=True)) \
        == [first.pk, new.pk]
    # The issue's latest revision holds it too, so publishing that revision keeps it.
    new.get_latest_revision().publish()
    issue.refresh_from_db()
    issue.get_latest_revision().publish()
    assert IssueTocEntry.objects.filter(issue=issue, article=new).exists()


def _toc_post(client, issue, article_ids):
    entries = [{"article": pk} for pk in article_ids]
    return client.post(f"/admin/pages/{issue.pk}/edit/", issue_data(
        title=issue.title, slug=issue.slug, number=str(issue.number),
        toc_entries=inline_formset(entries)))


def test_toc_refuses_an_article_twice_and_another_issues_article(coordinator_client, site):
    mag = f.magazine(site)
    issue, other = f.issue(mag), f.issue(mag)
    mine = f.article(issue, in_toc=False)
    theirs = f.article(other)
    revisions = issue.revisions.count()
    twice = _toc_post(coordinator_client, issue, [mine.pk, mine.pk])
    assert twice.status_code == 200
    assert "ya está en el índice de este número" in twice.content.decode()
    foreign = _toc_post(coordinator_client, issue, [theirs.pk])
    assert foreign.status_code == 200
    assert "article" in foreign.context["form"].formsets["toc_entries"].forms[0].errors
    assert issue.revisions.count() == revisions and not issue.toc_entries.exists()
    # Its own article, once: saved.
    ok = _toc_post(coordinator_client, issue, [mine.pk])
    assert ok.status_code == 302
    assert Page.objects.get(pk=issue.pk).specific.get_latest_revision_as_object() \
        .toc_entries.get().article_id == mine.pk


def test_previews_of_a_new_article_and_an_edited_issue_render(coordinator_client, site):
    issue = f.issue(f.magazine(site))
    draft = f.article(issue, publish=False, live=False, title="Borrador en el índice")
    add = f"/admin/pages/add/publications/articlepage/{issue.pk}/preview/"
    assert coordinator_client.post(add, article_data(f.AuthorFactory(given_names="Irma",
                                                                     family_names="Vega"))
                                   ).json()["is_valid"]
    preview = coordinator_client.get(add)
    assert preview.status_code == 200
    assert "Nuevo artículo" in preview.content.decode() and "Irma Vega" in preview.content.decode()
    edit = f"/admin/pages/{issue.pk}/edit/preview/"
    assert coordinator_client.post(edit, issue_data(
        title=issue.title, slug=issue.slug, number=str(issue.number),
        toc_entries=inline_formset([{"article": draft.pk}]))).json()["is_valid"]
    shown = coordinator_client.get(edit).content.decode()
    assert "Borrador en el índice" in shown and "borrador (vista previa)" in shown


def test_the_same_author_twice_is_refused_in_spanish_naming_the_field(coordinator_client, site):
    """Choosing one author twice: the refusal named the model's fields in English («Por
    favor corrija la información duplicada en article y author»)."""
    author = f.AuthorFactory()
    issue = f.issue(f.magazine(site))
    twice = inline_formset([{"author": author.pk, "corresponding": ""},
                            {"author": author.pk, "corresponding": ""}])
    response = coordinator_client.post(
        f"/admin/pages/add/publications/articlepage/{issue.pk}/",
        article_data(author, article_authors=twice))
    assert response.status_code in (200, 400)
    html = response.content.decode()
    assert "«autor/a» se repite" in html
    assert "article y author" not in html
    assert not ArticlePage.objects.filter(title="Nuevo artículo").exists()
