"""Bad input in the page editor and the law snippets: a Spanish message and nothing saved."""

import datetime as dt
import json

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from publications.models import EditionPage, Law, Reform
from tests.factories import UserFactory
from tests.publications import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="superadmin", is_superuser=True))
    return client


@pytest.fixture
def booklet(site):
    booklet = f.booklet(f.booklet_index(site))
    f.edition(booklet, laws=[Law.objects.get(short_name="LGTAIP 2015")],
              current_to=dt.date(2024, 6, 30))
    return booklet


def _section(key, heading="Sección", text="Texto de la sección."):
    return ("section", {"key": key, "heading": heading,
                        "content": streamfield([("paragraph", rich_text(f"<p>{text}</p>"))])})


def _form(**overrides):
    data = {
        "title": "El ABC, edición 2", "slug": "edicion-2", "edition_number": "2",
        "kind": "nueva", "current_to": "20/03/2025",
        "laws": [Law.objects.get(short_name="LGTAIP 2025").pk],
        "change_summary": "Actualizada a la ley general de 2025.", "licence": "CC-BY-4.0",
        "body": streamfield([_section("que-es"), _section("plazos")]),
        "comments": inline_formset([]),
    }
    data.update(overrides)
    laws = data.pop("laws")  # a multiple choice is posted as a list, not nested
    data = nested_form_data(data)
    data["laws"] = laws
    return data


def _messages(response) -> str:
    """The page as shown, plus the form's errors (StreamField errors travel as JSON data)."""
    texts = [response.content.decode()]
    for errors in response.context["form"].errors.as_data().values():
        for error in errors:
            data = error.as_json_data() if hasattr(error, "as_json_data") else error.messages
            texts.append(json.dumps(data, ensure_ascii=False))
    return "\n".join(texts)


def _add(client, booklet, **overrides):
    return client.post(f"/admin/pages/add/publications/editionpage/{booklet.pk}/",
                       _form(**overrides))


def test_a_valid_edition_is_saved_from_the_editor(admin_client, booklet):
    response = _add(admin_client, booklet)
    assert response.status_code == 302
    edition = EditionPage.objects.get(edition_number=2)
    assert edition.get_parent().pk == booklet.pk and list(edition.laws.all())


@pytest.mark.parametrize(("overrides", "message"), [
    ({"change_summary": ""}, "Escriba el resumen de cambios"),
    ({"body": streamfield([_section("que-es"), _section("que-es")])},
     "La clave «que-es» ya se usa en otra sección de esta edición."),
    ({"edition_number": "1"}, "Este cuadernillo ya tiene una edición número 1."),
    ({"current_to": "01/01/2099"}, "no puede ser posterior al"),
    ({"current_to": "01/01/2025"}, "si se basa en LGTAIP 2025, publicada en el DOF el 20/03/2025"),
    ({"current_to": "no es fecha"}, "fecha"),
])
def test_bad_editions_are_refused_in_spanish_and_nothing_is_saved(admin_client, booklet,
                                                                  overrides, message):
    before = EditionPage.objects.count()
    response = _add(admin_client, booklet, **overrides)
    assert response.status_code == 200
    assert message in _messages(response)
    assert EditionPage.objects.count() == before


def test_an_edition_cannot_replace_an_edition_of_another_booklet(admin_client, site, booklet):
    other = f.booklet(f.booklet_index(site))
    foreign = f.edition(other, laws=[Law.objects.get(short_name="LGTAIP 2015")])
    before = EditionPage.objects.count()
    response = _add(admin_client, booklet, replaces=str(foreign.pk))
    assert response.status_code == 200
    assert "La edición que sustituye debe ser de este mismo cuadernillo." in response.content.decode()
    assert EditionPage.objects.count() == before
    own = booklet.get_children().first()
    assert _add(admin_client, booklet, replaces=str(own.pk)).status_code == 302


def test_editing_an_edition_keeps_its_own_number(admin_client, booklet):
    edition = booklet.get_children().first().specific
    data = _form(title=edition.title, slug=edition.slug, edition_number="1",
                 current_to="30/06/2024", laws=[Law.objects.get(short_name="LGTAIP 2015").pk],
                 change_summary="Primera edición, con una errata corregida.")
    response = admin_client.post(f"/admin/pages/{edition.pk}/edit/", data)
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.get_latest_revision_as_object().change_summary.endswith("corregida.")


def test_laws_and_reforms_refuse_impossible_dates(admin_client):
    old = Law.objects.get(short_name="LGTAIP 2015")
    new = Law.objects.get(short_name="LGTAIP 2025")
    response = admin_client.post(f"/admin/snippets/publications/law/edit/{old.pk}/", {
        "name": old.name, "short_name": old.short_name, "kind": old.kind,
        "dof_date": "04/05/2015", "in_force_date": "05/05/2015", "url": old.url,
        "replaces": [new.pk]})
    assert response.status_code == 200
    assert "una ley solo puede sustituir a leyes publicadas antes que ella" in response.content.decode()
    assert not old.replaces.exists()
    count = Reform.objects.count()
    response = admin_client.post("/admin/snippets/publications/reform/add/", {
        "law": new.pk, "title": "Decreto imposible", "dof_date": "01/01/2020"})
    assert response.status_code == 200
    assert "La reforma debe publicarse después de la ley que reforma" in response.content.decode()
    response = admin_client.post("/admin/snippets/publications/law/add/", {
        "name": "Ley de prueba", "short_name": "LP", "kind": "general",
        "dof_date": "10/01/2026", "in_force_date": "01/01/2026"})
    assert "La entrada en vigor no puede ser anterior a la publicación en el DOF." in \
        response.content.decode()
    assert Reform.objects.count() == count and not Law.objects.filter(short_name="LP").exists()


def test_the_2025_laws_replace_the_ones_they_abrogated():
    lgtaip = Law.objects.get(short_name="LGTAIP 2025")
    lgpdppso = Law.objects.get(short_name="LGPDPPSO 2025")
    assert {law.short_name for law in lgtaip.replaces.all()} == {"LGTAIP 2015", "LFTAIP 2016"}
    assert [law.short_name for law in lgpdppso.replaces.all()] == ["LGPDPPSO 2017"]
    assert lgtaip.dof_date == dt.date(2025, 3, 20) and lgtaip.in_force_date == dt.date(2025, 3, 21)
    assert Law.objects.get(short_name="LGTAIP 2015").dof_date == dt.date(2015, 5, 4)
    assert Law.objects.get(short_name="LGPDPPSO 2017").dof_date == dt.date(2017, 1, 26)
    assert lgtaip.url.startswith("https://www.diputados.gob.mx/LeyesBiblio/")
