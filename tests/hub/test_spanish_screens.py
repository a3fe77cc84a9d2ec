"""Screens outside Wagtail's catalogue that a Spanish user met in English: the 403 page,
Wagtail templates with words written in English, and model labels without Spanish."""

from __future__ import annotations

import re

import pytest


@pytest.mark.django_db
def test_the_403_page_reads_in_spanish(client, site):
    # Anyone without campaigns.add_post is refused before the work is even looked up.
    response = client.post("/acervo/SPOT-2026-0001/compartir/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Forbidden" not in html and '<html lang="es-MX"' in html
    assert "Acceso denegado" in html and "No tiene permiso" in html


@pytest.mark.django_db
def test_the_403_page_follows_the_language_switch(client, site):
    client.cookies["django_language"] = "en"
    response = client.post("/acervo/SPOT-2026-0001/compartir/")
    assert response.status_code == 403
    assert "Access denied" in response.content.decode()


def _dd_texts(content: bytes) -> dict[str, str]:
    from lxml import html

    tree = html.fromstring(content)
    return {" ".join(dt.text_content().split()): " ".join(dt.getnext().text_content().split())
            for dt in tree.xpath("//main//dl/dt")}


@pytest.mark.django_db
def test_a_posts_inspect_view_reads_in_spanish_and_in_mexico_city_time(
        coordinator_client, coordinator, infoem):
    import datetime as dt

    from tests.campaigns.factories import make_channel, publish_post

    channel = make_channel("telegram", infoem)
    send = dt.datetime(2026, 12, 1, 16, 0, tzinfo=dt.UTC)  # 10:00 in Mexico City
    post = publish_post(coordinator, [channel], title="Derecho a saber", publish_at=send)
    response = coordinator_client.get(f"/admin/snippets/campaigns/post/inspect/{post.pk}/")
    assert response.status_code == 200
    fields = _dd_texts(response.content)
    assert fields["Enviar el"].endswith("10:00"), fields["Enviar el"]
    assert not {"Created at", "Updated at", "Client key", "Source page"} & set(fields)
    assert "None" not in fields.values() and "True" not in fields.values()
    assert not any(" at 20" in value for value in fields.values()), fields  # a revision's str()


@pytest.mark.django_db
def test_the_authors_listing_names_its_columns_in_spanish(client, django_user_model):
    from publications.models import Author

    Author.objects.create(given_names="Ana", family_names="Pérez", affiliation="INFOEM")
    admin = django_user_model.objects.create_superuser("raiz", "raiz@example.org", "x")
    client.force_login(admin)
    html = client.get("/admin/snippets/publications/author/").content.decode()
    assert "Full name" not in html
    assert "<th>Nombre</th>" in "".join(html.split())
    assert "Adscripción" in html


@pytest.mark.django_db
def test_wagtails_header_landmark_and_search_buttons_are_spanish(coordinator_client, site):
    for url in ("/admin/", "/admin/images/", "/admin/snippets/network/institution/"):
        html = coordinator_client.get(url).content.decode()
        assert 'aria-label="Actions"' not in html, url
        assert 'value="Search"' not in html, url


# Wagtail templates copied to hub/templates only to translate words Wagtail left in English:
# each copy must stay Wagtail's template with just those words changed, so an upgrade that
# edits one of them fails here (copy it again and repeat the change).
OVERRIDES = {
    "wagtailadmin/home.html": [('value="Search"', 'value="{% translate "Search" %}"')],
    "wagtailadmin/shared/header.html": [('value="Search"', 'value="{% translate "Search" %}"')],
    "wagtailadmin/shared/headers/_actions.html": [
        ('aria-label="Actions"', 'aria-label="{% translate "Actions" %}"'), ("", "{% load i18n %}\n")],
    # A tick or a cross named «True» or «False» to screen readers (the users listing).
    "wagtailadmin/tables/boolean_cell.html": [
        ("""title=value|stringformat:'s' name="help\"""", 'title=_("Unknown") name="help"'),
        ("""title=value|stringformat:'s' name="check\"""", 'title=_("Yes") name="check"'),
        ("""title=value|stringformat:'s' name="cross\"""", 'title=_("No") name="cross"')],
    # Who last published a page, in the aging pages report: «None» when no one did (a page
    # published by a job or by the demo loader); now left empty.
    "wagtailadmin/shared/user_avatar.html": [
        ('{% avatar user=user size="small" %}',
         '{% if user or username %}{% avatar user=user size="small" %}'),
        ("{% if not username %}{{ user }}{% else %}{{ username }}{% endif %}",
         "{% if username %}{{ username }}{% else %}{{ user }}{% endif %}{% endif %}")],
    # The group editor's permission checkboxes, named to screen readers «Can add user».
    "wagtailusers/groups/includes/formatted_permissions.html": [
        ("{% load i18n wagtailadmin_tags %}", "{% load i18n wagtailadmin_tags hub_tags %}"),
        *[(f"{{{{ content_perms_dict.{action}.perm.name }}}}",
           f"{{{{ content_perms_dict.{action}.perm|permission_label }}}}")
          for action in ("add", "change", "delete")]],
}


@pytest.mark.parametrize("name", sorted(OVERRIDES))
def test_translated_copies_of_wagtail_templates_follow_wagtail(name):
    from pathlib import Path

    import wagtail

    app = "users" if name.startswith("wagtailusers/") else "admin"
    original = (Path(wagtail.__file__).parent / app / "templates" / name).read_text()
    ours = (Path(__file__).resolve().parents[2] / "hub" / "templates" / name).read_text()
    expected = original
    for english, spanish in OVERRIDES[name]:
        if english:
            assert english in original, f"Wagtail changed {name}: copy it again"
            expected = expected.replace(english, spanish)
        else:
            expected = spanish + expected
    assert ours == expected


def test_wagtails_spanish_is_corrected_where_it_was_misspelt():
    from django.utils import translation

    with translation.override("es-mx"):
        assert translation.gettext("Select row") == "Seleccionar fila"
        assert translation.gettext("collections") == "colecciones"
        assert translation.gettext("Default?") == "¿Predeterminado?"
        # «Seleccionar otro ley»: the model's name is feminine as often as not.
        assert "otro %(object)s" not in translation.gettext("Choose another %(object)s")
        # Under a post's «Etiquetas temáticas»: Wagtail's Spanish said «etiquedas».
        help_text = translation.gettext(
            'Multi-word tags with spaces will automatically be enclosed in double quotes (").')
        assert "etiquedas" not in help_text and help_text.startswith("Las etiquetas")
        # A snippet's history counted «4 entradas de registro modelo».
        assert translation.gettext("model log entries") == "entradas del historial"
        assert translation.gettext("model log entry") == "entrada del historial"


@pytest.mark.django_db
def test_the_page_trees_root_is_not_called_root(coordinator_client, site):
    from wagtail.models import Page

    root = Page.get_first_root_node()
    assert root.title == "Raíz"
    html = coordinator_client.get(f"/admin/pages/{root.pk}/").content.decode()
    assert "Explorando: Raíz" in html and "Root" not in html


@pytest.mark.django_db
def test_the_sites_listing_heads_its_columns_in_spanish(client, django_user_model, site):
    import re

    from wagtail.users.models import UserProfile

    def headings(html):
        return {" ".join(re.sub("<[^>]+>", " ", th).split())
                for th in re.findall(r"<th[^>]*>(.*?)</th>", html, re.S)}

    admin = django_user_model.objects.create_superuser("raiz", "raiz@example.org", "x")
    client.force_login(admin)
    heads = headings(client.get("/admin/sites/").content.decode())
    assert {"Puerto", "Nombre del sitio", "Página raíz"} <= heads, heads
    profile = UserProfile.get_for_user(admin)
    profile.preferred_language = "en"
    profile.save()
    assert {"Port", "Site name", "Root page"} <= headings(client.get("/admin/sites/").content.decode())


@pytest.mark.django_db
def test_ticks_and_crosses_are_named_in_spanish(client, django_user_model, site):
    import re

    admin = django_user_model.objects.create_superuser("raiz", "raiz@example.org", "x")
    client.force_login(admin)
    html = client.get("/admin/users/").content.decode()
    hidden = {" ".join(t.split()) for t in re.findall(r'class="w-sr-only">(.*?)</span>', html, re.S)}
    assert "Sí" in hidden and not {"True", "False", "None"} & hidden, hidden


@pytest.mark.django_db
def test_group_and_workflow_editors_name_permissions_and_fields_in_spanish(
        client, django_user_model, site):
    from django.contrib.auth.models import Group
    from wagtail.models import Workflow

    admin = django_user_model.objects.create_superuser("raiz", "raiz@example.org", "x")
    client.force_login(admin)
    group = Group.objects.get(name="Editores")
    for url in ("/admin/groups/new/", f"/admin/groups/edit/{group.pk}/"):
        html = client.get(url).content.decode()
        assert "Can add" not in html and "Can publish" not in html and "Can lock" not in html, url
        assert ">Puede agregar institución</label>" in html, url
        assert ">Puede eliminar evento</label>" in html, url
        assert "Puede publicar" in html and "Puede desbloquear" in html, url
        assert "Puede agregar página</label>" in html and "Publicar cualquier página" in html, url
        assert "Can access Wagtail admin" not in html, url
    workflow = Workflow.objects.first()
    for url in ("/admin/workflows/add/", f"/admin/workflows/edit/{workflow.pk}/"):
        html = client.get(url).content.decode()
        assert ">Page<" not in html and "Content types" not in html, url
        assert "Tipos de contenido" in html, url
    client.cookies["django_language"] = "en"
    html = client.get("/admin/groups/new/").content.decode()
    assert ">Can add institution</label>" in html


@pytest.mark.django_db
def test_the_aging_pages_report_leaves_who_published_empty_when_no_one_did(coordinator_client, site):
    """Pages published by a job or by the demo loader have no publishing user: the report's
    «Última publicación por» said «None» for each."""
    from wagtail.models import Page

    page = site.add_child(instance=Page(title="Publicada sin usuario", slug="sin-usuario"))
    page.save_revision().publish()  # no user, as a scheduled publication
    html = coordinator_client.get("/admin/reports/aging-pages/",
                                  HTTP_ACCEPT_LANGUAGE="es-mx").content.decode()
    assert "Publicada sin usuario" in html
    assert ">None<" not in html.replace(" ", "").replace("\n", "")


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "said"), [("es", "de 2 páginas"), ("en", "of 2 pages")])
def test_the_page_search_counts_its_results_as_pages(client, django_user_model, site, language,
                                                     said):
    """Wagtail's page search headed its results «1-2 de 2 None»."""
    from wagtail.models import Page

    home = Page.objects.get(depth=2)
    for title in ("Taller zanahoria uno", "Taller zanahoria dos"):
        home.add_child(instance=Page(title=title, slug=title.lower().replace(" ", "-")))
    admin = django_user_model.objects.create_superuser("raiz", "raiz@example.org", "x")
    client.force_login(admin)
    client.cookies["django_language"] = language
    html = client.get("/admin/pages/search/", {"q": "zanahoria"}).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "None" not in text
    assert f"1-2 {said}" in text
