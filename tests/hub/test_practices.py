"""The library of good practices: search and filters, sharing through campaigns, who edits
which practice, open data and the dashboards' figures."""

import json

import pytest
from django.urls import reverse
from wagtail.models import Page

from campaigns.models import PageShare, Post
from hub.indicators import Period, Scope, sections
from hub.models import GoodPracticePage, PracticeLibraryPage
from network.enums import PracticeTopic
from network.models import Institution, Region
from tests.campaigns.factories import make_channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(site):
    home = Page.objects.get(depth=2)
    page = PracticeLibraryPage(title="Buenas prácticas", slug="buenas-practicas")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def add_practice(library, title, acronym, topic, *, live=True, **fields):
    institution = Institution.objects.get(acronym=acronym)
    page = GoodPracticePage(
        title=title, institution=institution, topic=topic,
        intro=fields.pop("intro", "Resumen de la práctica."), problem="<p>Problema.</p>",
        actions="<p>Acciones.</p>", results="<p>Resultados.</p>", **fields)
    library.add_child(instance=page)
    if live:
        page.save_revision().publish()
    else:
        page.live = False
        page.save_revision()
        GoodPracticePage.objects.filter(pk=page.pk).update(live=False)
    return page


@pytest.fixture
def practices(library):
    return {
        "maya": add_practice(library, "Solicitudes de información en lengua maya", "INAIP",
                             PracticeTopic.ACCESS),
        "archivo": add_practice(library, "Archivo municipal en orden", "IVAI",
                                PracticeTopic.ARCHIVES),
        "obra": add_practice(library, "Datos abiertos de obra pública", "INFOEM",
                             PracticeTopic.PROACTIVE, contact_name="Unidad de Vinculación",
                             contact_email="vinculacion@infoem.example.org", contact_public=True),
        "draft": add_practice(library, "Práctica en borrador", "INFOEM", PracticeTopic.ACCESS,
                              live=False, contact_email="persona@correo.example.org"),
    }


def _titles(client, library, **params):
    response = client.get(library.url, params)
    assert response.status_code == 200
    return [p.title for p in response.context["practices"]], response.content.decode()


# --- Public library ---------------------------------------------------------------------------

def test_practice_takes_its_institutions_region(practices):
    assert practices["maya"].region.slug == "sureste"
    assert practices["obra"].region.slug == "centro"


def test_library_filters_by_region_and_topic(client, library, practices):
    titles, _html = _titles(client, library, region="sureste")
    assert sorted(titles) == ["Archivo municipal en orden",
                              "Solicitudes de información en lengua maya"]
    titles, _html = _titles(client, library, region="sureste", tema=PracticeTopic.ARCHIVES)
    assert titles == ["Archivo municipal en orden"]
    titles, html = _titles(client, library)
    assert "Práctica en borrador" not in titles and len(titles) == 3


def test_library_search_ignores_accents(client, library, practices):
    for query in ("informacion", "información", "INFORMACIÓN"):
        titles, _html = _titles(client, library, q=query)
        assert titles == ["Solicitudes de información en lengua maya"], query
    titles, _html = _titles(client, library, q="publica", region="centro")
    assert titles == ["Datos abiertos de obra pública"]


@pytest.mark.parametrize("params", [{"tema": "inventado"}, {"region": "atlantida"},
                                    {"q": '"(*'}, {"pagina": "-1"}, {"pagina": str(2**63)},
                                    {"q": "x" * 5000}])
def test_odd_filters_answer_in_spanish_without_500(client, library, practices, params):
    response = client.get(library.url, params)
    assert response.status_code == 200
    if "tema" in params or "region" in params:
        assert "no existe" in response.content.decode()
        assert response.context["practices"] == []


def test_practice_page_hides_a_private_contact(client, practices):
    html = client.get(practices["obra"].url).content.decode()
    assert "vinculacion@infoem.example.org" in html
    maya = practices["maya"]
    maya.contact_email = "persona@inaip.example.org"
    maya.save_revision().publish()
    assert "persona@inaip.example.org" not in client.get(maya.url).content.decode()


# --- Sharing ----------------------------------------------------------------------------------

def test_publishing_a_practice_proposes_exactly_one_post(library, coordinator, infoem, fake_x):
    channel = make_channel("x", infoem)
    page = add_practice(library, "Tablero de obra pública", "INFOEM", PracticeTopic.PROACTIVE,
                        live=False, intro="Avance de la obra pública en mapas y datos.")
    page.share_channels.set([channel])
    page.save_revision(user=coordinator).publish(user=coordinator)
    post = Post.objects.get()
    assert post.source_page_id == page.pk and post.link == page.full_url
    assert "Avance de la obra pública" in post.text
    page.title = "Tablero de obra pública (corregido)"
    page.save_revision(user=coordinator).publish(user=coordinator)
    assert Post.objects.count() == 1 and PageShare.objects.count() == 1


# --- Who edits which practice -----------------------------------------------------------------

def test_officer_edits_only_their_institutions_practice(officer_client, practices):
    own, other = practices["obra"], practices["maya"]
    assert officer_client.get(reverse("wagtailadmin_pages:edit", args=[own.pk])).status_code == 200
    for name in ("wagtailadmin_pages:edit", "wagtailadmin_pages:delete",
                 "wagtailadmin_pages:copy", "wagtailadmin_pages:unpublish"):
        response = officer_client.get(reverse(name, args=[other.pk]))
        assert response.status_code in (302, 403), name
    officer_client.post(reverse("wagtailadmin_pages:delete", args=[other.pk]))
    assert GoodPracticePage.objects.filter(pk=other.pk).exists()


def test_explorer_lists_only_the_officers_practices(officer_client, library, practices):
    html = officer_client.get(reverse("wagtailadmin_explore", args=[library.pk])).content.decode()
    assert "Datos abiertos de obra pública" in html
    assert "Solicitudes de información en lengua maya" not in html


def test_officer_cannot_document_a_practice_for_another_institution(officer_client, library):
    ivai = Institution.objects.get(acronym="IVAI")
    url = reverse("wagtailadmin_pages:add", args=["hub", "goodpracticepage", library.pk])
    assert officer_client.get(url).status_code == 200
    data = {"title": "Práctica ajena", "slug": "practica-ajena", "institution": ivai.pk,
            "topic": PracticeTopic.ACCESS, "intro": "Resumen", "problem": "{}",
            "actions": "{}", "results": "{}",
            "documents-TOTAL_FORMS": 0, "documents-INITIAL_FORMS": 0,
            "documents-MIN_NUM_FORMS": 0, "documents-MAX_NUM_FORMS": 1000}
    response = officer_client.post(url, data)
    assert response.status_code == 200
    assert "institution" in response.context["form"].errors
    assert not GoodPracticePage.objects.filter(title="Práctica ajena").exists()


# --- Open data and figures --------------------------------------------------------------------

def test_open_data_shows_published_practices_and_only_public_contacts(client, practices):
    body = json.loads(client.get("/datos/buenas-practicas.json").content)
    titles = {r["titulo"]: r for r in body["results"]}
    assert set(titles) == {"Solicitudes de información en lengua maya",
                           "Archivo municipal en orden", "Datos abiertos de obra pública"}
    assert titles["Datos abiertos de obra pública"]["correo_contacto"] == \
        "vinculacion@infoem.example.org"
    assert titles["Archivo municipal en orden"]["correo_contacto"] is None
    csv = b"".join(client.get("/datos/buenas-practicas.csv").streaming_content).decode()
    assert "persona@correo.example.org" not in csv and "Archivo municipal en orden" in csv


def test_indicators_count_published_practices_in_the_scope(practices):
    sureste = Region.objects.get(slug="sureste")
    period = Period.current_quarter()
    section = next(s for s in sections(Scope(period, region_id=sureste.pk))
                   if s.key == "practices")
    figures = {str(f.label): f.value for f in section.figures}
    assert figures == {"Buenas prácticas publicadas": 2, "Publicadas en el periodo": 2}


def test_hostile_input_on_the_library_and_agendas_never_answers_500(client, library, practices):
    from tests.hub.test_fuzz_public_views import HOSTILE

    valid = {"q": "archivo", "tema": PracticeTopic.ARCHIVES, "region": "sureste", "pagina": "1"}
    for name in valid:
        for value in HOSTILE:
            response = client.get(library.url, {**valid, name: value})
            assert response.status_code < 500, (name, value[:20])
    for value in ("0", "-1", "x" * 300, "%00", "ñ"):
        assert client.get(f"/agendas/{value}/").status_code == 404


def test_the_english_schema_calls_a_practices_summary_a_summary(client, practices):
    """«Resumen» of a practice read «Abstract» in English, the magazine's word for an
    article's abstract."""
    client.cookies["django_language"] = "en"
    fields = {f["nombre"]: f["descripcion"]
              for f in client.get("/datos/buenas-practicas/esquema.json").json()["campos"]}
    assert fields["resumen"] == "Summary"


def test_open_data_gives_when_a_practice_was_published_in_mexico_city_time(client, practices):
    """«publicada» came out in UTC («…+00:00») while the events, booklets and results give
    Mexico City time."""
    import datetime as dt

    rows = client.get("/datos/buenas-practicas.json").json()["results"]
    for row in rows:
        stamp = dt.datetime.fromisoformat(row["publicada"])
        assert stamp.utcoffset() in (dt.timedelta(hours=-6), dt.timedelta(hours=-5))


def test_the_summary_of_one_practice_reads_in_the_singular(library):
    """«La biblioteca reúne 1 buenas prácticas; 1 se publicaron en el periodo»."""
    from django.utils import translation

    add_practice(library, "Archivo municipal en orden", "IVAI", PracticeTopic.ARCHIVES)

    def summary():
        [section] = [s for s in sections(Scope(Period.current_quarter()))
                     if s.title == "Buenas prácticas" or s.title == "Good practices"]
        return section.summary

    assert summary() == "La biblioteca reúne 1 buena práctica; 1 se publicó en el periodo."
    with translation.override("en"):
        assert summary() == ("The library holds 1 good practice; 1 was published in the "
                             "period.")


def test_page_chooser_never_shows_another_institutions_draft_practice(officer_client, library,
                                                                       practices):
    """The page chooser (browse, search, and browsing *into* the draft) offers an officer the
    published practices of others to link to, never another institution's draft."""
    foreign_draft = add_practice(library, "Borrador ajeno de IVAI", "IVAI", PracticeTopic.ACCESS,
                                 live=False, contact_email="ajeno@ivai.example.org")
    urls = [reverse("wagtailadmin_choose_page_child", args=[library.pk]),
            reverse("wagtailadmin_choose_page_search") + "?q=Borrador",
            reverse("wagtailadmin_choose_page_child", args=[foreign_draft.pk]),
            reverse("wagtailadmin_choose_page_chosen_multiple") + f"?id={foreign_draft.pk}"]
    for url in urls:
        response = officer_client.get(url)
        assert response.status_code in (200, 403), url
        assert "Borrador ajeno de IVAI" not in response.content.decode(), url
    browse = json.loads(officer_client.get(urls[0]).content)["html"]
    assert "Solicitudes de información en lengua maya" in browse  # published: may be linked
    assert "Práctica en borrador" in browse  # their own draft


def test_indicators_of_a_past_quarter_count_only_practices_published_by_its_end(practices):
    """The library of last quarter held the practices published by then, not today's."""
    last = Period.current_quarter().previous_quarter()
    start, _end = last.bounds()
    GoodPracticePage.objects.filter(pk=practices["maya"].pk).update(first_published_at=start)
    section = next(s for s in sections(Scope(last)) if s.key == "practices")
    figures = {str(f.label): f.value for f in section.figures}
    assert figures == {"Buenas prácticas publicadas": 1, "Publicadas en el periodo": 1}
    assert dict(section.series[0].rows)[str(PracticeTopic.ACCESS.label)] == 1
    assert dict(section.series[0].rows)[str(PracticeTopic.ARCHIVES.label)] == 0
