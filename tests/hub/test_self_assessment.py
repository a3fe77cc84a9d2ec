"""The municipal open-government self-assessment (seed 002): questionnaire, scoring, the
promise that nothing is stored, the PDF, open data and editing in the admin."""

import logging
from pathlib import Path

import pytest
from django.db import connection

from hub.models import AssessmentComponent, AssessmentQuestion
from hub.selfassessment.scoring import questionnaire

pytestmark = pytest.mark.django_db

SEED = Path(__file__).parent / "data" / "seed_002_recomendaciones.txt"
URL = "/autodiagnostico-gobierno-abierto/"
PDF_URL = URL + "pdf/"
SEED_COMPONENTS = [
    "Transparencia y Acceso a la Información Pública", "Participación Ciudadana",
    "Rendición de Cuentas", "Marco de Políticas para el Gobierno Abierto", "Innovación Pública",
]


def answers(level_for=lambda component, question: "avanzado"):
    """Every question answered with the option of the level ``level_for`` picks."""
    chosen = {}
    for component in questionnaire():
        for question in component.questions:
            wanted = level_for(component, question)
            chosen[question.field_name] = next(o.id for o in question.options
                                               if o.level == wanted)
    return chosen


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


# --- The data the migrations load ------------------------------------------------------

def test_recommendations_are_the_seeds_verbatim_in_its_order():
    seed = SEED.read_text(encoding="utf-8").splitlines()
    stored = [r.text for c in AssessmentComponent.objects.order_by("sort_order")
              for r in c.recommendations.order_by("sort_order")]
    assert len(seed) == 57
    assert stored == seed


def test_the_five_components_of_the_seed_each_have_questions_and_every_level():
    assert [c.name for c in AssessmentComponent.objects.all()] == SEED_COMPONENTS
    for component in questionnaire():
        assert len(component.questions) >= 2
        assert all(component.recommendations[level]
                   for level in ("basico", "intermedio", "avanzado")), component.name
        for question in component.questions:
            levels = [o.level for o in question.options]
            assert levels == ["ninguno", "basico", "intermedio", "avanzado"], question.text


# --- The page ----------------------------------------------------------------------------

def test_form_page_shows_every_question_the_rule_and_the_promise(client, site):
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    for question in AssessmentQuestion.objects.all():
        assert question.text in body
    assert "sus respuestas no se guardan" in body
    assert "Cómo se obtiene el nivel" in body
    assert "Consideraciones importantes" in body
    assert settings_session_cookie() not in response.cookies


def settings_session_cookie():
    from django.conf import settings

    return settings.SESSION_COOKIE_NAME


def test_home_page_and_footer_link_the_tool(client, site):
    body = client.get("/").content.decode()
    assert body.count(f'href="{URL}"') >= 2


def test_answering_the_whole_questionnaire_stores_and_logs_nothing(client, site, caplog):
    chosen = answers(lambda c, q: "basico" if q.pk % 2 else "intermedio")
    client.get(URL)
    before = row_counts()
    caplog.set_level(logging.DEBUG)
    response = client.post(URL, chosen)
    assert response.status_code == 200
    assert "Resultado del Autodiagnóstico" in response.content.decode()
    assert row_counts() == before
    assert caplog.records == []
    assert settings_session_cookie() not in response.cookies
    assert not client.session.keys()
    # Neither the browser nor a proxy may keep the answers.
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_result_gives_the_level_what_is_met_and_the_next_recommendations(client, site):
    transparency = AssessmentComponent.objects.get(slug="transparencia")
    first = transparency.questions.order_by("sort_order").first()

    def level_for(component, question):
        if question.pk == first.pk:
            return "basico"
        return "avanzado"

    response = client.post(URL, answers(level_for))
    body = response.content.decode()
    section = body.split('id="resultado-transparencia"')[1].split("</section>")[0]
    assert "Nivel: <strong>Básico</strong>" in section
    assert "Recomendaciones para alcanzar el nivel intermedio" in section
    assert "Más adelante: nivel avanzado" in section
    intermediate = transparency.recommendations.filter(level="intermedio")
    assert all(r.text in section for r in intermediate)
    basic = transparency.recommendations.filter(level="basico")
    assert not any(r.text in section for r in basic)
    assert first.text in section  # the question that holds the component back
    # Every other component is advanced: no recommendations, a word of encouragement.
    other = body.split('id="resultado-innovacion"')[1].split("</section>")[0]
    assert "Nivel: <strong>Avanzado</strong>" in other
    assert "alcanza el nivel avanzado" in other
    assert "Por dónde empezar: <strong>Transparencia" in body


def test_nothing_in_place_yet_gets_every_recommendation_basic_first(client, site):
    body = client.post(URL, answers(lambda c, q: "ninguno")).content.decode()
    assert body.count("Aún sin nivel básico") >= 5
    assert body.count("Recomendaciones para alcanzar el nivel básico") == 5
    for line in SEED.read_text(encoding="utf-8").splitlines():
        assert line in body


def test_missing_answers_get_a_spanish_message_and_keep_the_others(client, site):
    chosen = answers()
    kept_name, kept_value = next(iter(chosen.items()))
    dropped = list(chosen)[-2:]
    for name in dropped:
        del chosen[name]
    response = client.post(URL, chosen)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Faltan 2 respuestas o no son válidas" in body
    assert body.count("Elija una respuesta para esta pregunta.") == 2
    assert f'value="{kept_value}"' in body.split(f'id="{kept_name}"')[1].split("</fieldset>")[0]
    assert "checked" in body.split(f'value="{kept_value}"')[1][:40]
    # Another visitor's empty form never shows these answers, nor this one's next visit.
    fresh = client.get(URL).content.decode()
    assert " checked" not in fresh and "Elija una respuesta" not in fresh


@pytest.mark.parametrize("value", ["0", "-1", str(2**63), "abc", "x" * 5000, ""])
def test_odd_answers_are_refused_with_a_message_not_an_error(client, site, value):
    chosen = answers()
    name = next(iter(chosen))
    chosen[name] = value
    chosen["p0"] = "1"
    chosen["p-5"] = "zzz"
    response = client.post(URL, chosen)
    assert response.status_code == 400
    assert "Falta 1 respuesta o no es válida" in response.content.decode()


def test_wrong_methods_are_refused(client, site):
    assert client.put(URL).status_code == 405
    assert client.delete(URL).status_code == 405
    assert client.get(PDF_URL).status_code == 405


def test_the_result_downloads_as_a_pdf_without_storing_anything(client, site, caplog):
    chosen = answers(lambda c, q: "intermedio")
    client.get(URL)
    before = row_counts()
    caplog.set_level(logging.INFO)
    response = client.post(PDF_URL, chosen)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    assert row_counts() == before
    assert not [r for r in caplog.records if r.name.startswith(("hub", "django"))]


def test_the_pdf_refuses_incomplete_answers_with_the_form(client, site):
    response = client.post(PDF_URL, {})
    assert response.status_code == 400
    assert "Elija una respuesta para esta pregunta." in response.content.decode()


def test_the_result_page_is_never_stored_by_the_page_cache(client, site, settings):
    settings.ENLACE_PAGE_CACHE_SECONDS = 600
    chosen = answers()
    for _ in range(2):
        response = client.post(URL, chosen)
        assert response.status_code == 200
        assert response.get("X-Cache") != "hit"
    for _ in range(2):
        assert client.get(URL).get("X-Cache") != "hit"


# --- Open data ---------------------------------------------------------------------------

def test_questionnaire_and_recommendations_are_open_data_with_a_schema(client, site):
    data = client.get("/datos/autodiagnostico-recomendaciones.json").json()
    assert data["count"] == 57
    first = data["results"][0]
    assert first["componente"] == SEED_COMPONENTS[0]
    assert first["clave_nivel"] == "basico" and first["nivel"] == "Básico"
    questions = client.get("/datos/autodiagnostico-preguntas.json").json()
    assert questions["count"] == 4 * AssessmentQuestion.objects.count()
    assert {r["clave_nivel"] for r in questions["results"]} == {
        "ninguno", "basico", "intermedio", "avanzado"}
    schema = client.get("/datos/autodiagnostico-preguntas/esquema.json").json()
    assert "pregunta" in [f["nombre"] for f in schema["campos"]]
    response = client.get("/datos/autodiagnostico-recomendaciones.csv")
    csv = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Aprobar una declaración de gobierno abierto al más alto nivel de gobierno." in csv
    assert "autodiagnostico-preguntas" in client.get("/datos/").content.decode()


# --- Editing without code ----------------------------------------------------------------

def test_an_edited_question_and_level_change_the_tool_at_once(client, site):
    for _ in range(2):  # the unanswered questions are kept per generation (``{% kept %}``)
        assert client.get(URL).status_code == 200
    question = AssessmentQuestion.objects.get(component__slug="innovacion", sort_order=0)
    question.text = "¿Tiene el municipio una ventanilla digital única?"
    question.save()
    assert question.text in client.get(URL).content.decode()
    # Coordinación raises the bar: the option that showed "avanzado" now shows "intermedio"
    # and a new option is the advanced one.
    raw = list(question.options.raw_data)
    raw[3]["value"]["level"] = "intermedio"
    raw.append({"type": "option", "value": {"label": "Todo en línea", "level": "avanzado"}})
    question.options = raw
    question.full_clean()
    question.save()
    assert "Todo en línea" in client.get(URL).content.decode()
    chosen = answers()
    chosen[f"p{question.pk}"] = question.options[3].id
    body = client.post(URL, chosen).content.decode()
    section = body.split('id="resultado-innovacion"')[1].split("</section>")[0]
    assert "Nivel: <strong>Intermedio</strong>" in section


def test_a_question_needs_an_advanced_option(db):
    from django.core.exceptions import ValidationError

    question = AssessmentQuestion.objects.first()
    question.options = [{"type": "option", "value": {"label": "Sí", "level": "basico"}},
                        {"type": "option", "value": {"label": "No", "level": "ninguno"}}]
    with pytest.raises(ValidationError) as error:
        question.full_clean()
    assert "avanzado" in str(error.value)


def test_coordination_edits_the_questionnaire_and_officers_cannot(client, coordinator, officer,
                                                                  site):
    component = AssessmentComponent.objects.get(slug="marco-de-politicas")
    listing = "/admin/snippets/hub/assessmentcomponent/"
    edit = f"{listing}edit/{component.pk}/"
    client.force_login(coordinator)
    response = client.get(edit)
    assert response.status_code == 200
    body = response.content.decode()
    assert component.questions.first().text in body
    assert component.recommendations.first().text[:60] in body
    client.force_login(officer)
    assert client.get(listing).status_code in (302, 403)
    assert client.get(edit).status_code in (302, 403)


def test_pdfs_from_one_address_are_limited_and_the_result_is_still_shown(client, site,
                                                                        monkeypatch):
    from hub.selfassessment import views

    monkeypatch.setattr(views, "PDFS_PER_ADDRESS", 1)
    chosen = answers(lambda c, q: "basico")
    assert client.post(PDF_URL, chosen).status_code in (200, 503)  # 503 only without Pango
    response = client.post(PDF_URL, chosen)
    assert response.status_code == 429
    assert "demasiados PDF" in response.content.decode()


@pytest.mark.parametrize("language, expected, wrong", [
    ("es-mx", r'<html lang="es-MX">.*Generado el \d{1,2} de [a-z]+ de \d{4}, \d\d:\d\d',
     r"de (Enero|Febrero|Marzo|Abril|Mayo|Junio|Julio|Agosto|Septiembre|Octubre|Noviembre|"
     r"Diciembre) de"),
    ("en", r'<html lang="en">.*Generated on \d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d',
     r"Generated on \d+ de "),
])
def test_the_pdf_says_when_it_was_made_in_the_visitors_language(client, site, monkeypatch,
                                                                  language, expected, wrong):
    """A visitor met «Generado el 28 de Noviembre de 2026» (a capital month) in Spanish and
    «Generated on 28 de November de 2026» in English; the page's language was es-MX in both."""
    import re
    from types import SimpleNamespace

    from hub.selfassessment import views

    made = []
    monkeypatch.setattr(views, "render_pdf",
                        lambda html: made.append(html) or SimpleNamespace(data=b"%PDF-1.7"))
    client.cookies["django_language"] = language
    response = client.post(PDF_URL, answers(lambda c, q: "intermedio"))
    assert response.status_code == 200
    html = made[0]
    assert re.search(expected, html, re.S), html[:1500]
    assert not re.search(wrong, html)


def test_the_english_result_is_headed_summary_not_an_articles_abstract(client, site):
    """An English visitor's result opened under «Abstract», the magazine's word for an
    article's abstract (one msgid «Resumen» for both)."""
    client.cookies["django_language"] = "en"
    body = client.post(URL, answers()).content.decode()
    assert '<h2 id="resumen">Summary</h2>' in body
    assert "Abstract" not in body
