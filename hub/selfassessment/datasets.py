"""The self-assessment's questionnaire and recommendations as open data (/datos/)."""

from django.utils.translation import gettext_lazy as _

from hub.models import AssessmentComponent, AssessmentQuestion, AssessmentRecommendation
from hub.opendata import Dataset, Field, changes, register
from hub.opendata import FieldType as T

from .scoring import level_label, questionnaire


def version():
    # Counts catch deletions; updated_at every edit (a question's options live in its row).
    return (changes(AssessmentComponent.objects.all()), changes(AssessmentQuestion.objects.all()),
            changes(AssessmentRecommendation.objects.all()))


MODELS = ("hub.AssessmentComponent", "hub.AssessmentQuestion", "hub.AssessmentRecommendation")


def question_rows():
    for component in questionnaire():
        for number, question in enumerate(component.questions, start=1):
            for position, option in enumerate(question.options, start=1):
                yield {
                    "componente": component.name,
                    "clave_componente": component.slug,
                    "pregunta_numero": number,
                    "pregunta": question.text,
                    "aclaracion": question.help_text or None,
                    "opcion_numero": position,
                    "opcion": option.label,
                    "clave_nivel": option.level,
                    "nivel": level_label(option.level),
                }


def recommendation_rows():
    for component in questionnaire():
        number = 0
        for level, texts in component.recommendations.items():
            for text in texts:
                number += 1
                yield {
                    "componente": component.name,
                    "clave_componente": component.slug,
                    "clave_nivel": level,
                    "nivel": level_label(level),
                    "numero": number,
                    "recomendacion": text,
                }


_COMPONENT_FIELDS = (
    Field("componente", T.STRING, _("Componente del autodiagnóstico")),
    Field("clave_componente", T.STRING, _("Clave estable del componente")),
)
_LEVEL_FIELDS = (
    Field("clave_nivel", T.STRING, _("ninguno, basico, intermedio o avanzado")),
    Field("nivel", T.STRING, _("Nombre del nivel")),
)

register(Dataset(
    name="autodiagnostico-preguntas",
    title=_("Autodiagnóstico de gobierno abierto municipal: preguntas"),
    description=_("Las preguntas del autodiagnóstico por componente, cada opción de respuesta "
                  "con el nivel que muestra. Las respuestas de las personas usuarias no se "
                  "guardan ni se publican."),
    fields=(
        *_COMPONENT_FIELDS,
        Field("pregunta_numero", T.INTEGER, _("Número de la pregunta en su componente")),
        Field("pregunta", T.STRING, _("Texto de la pregunta")),
        Field("aclaracion", T.STRING, _("Aclaración de la pregunta")),
        Field("opcion_numero", T.INTEGER, _("Número de la opción en su pregunta")),
        Field("opcion", T.STRING, _("Texto de la opción de respuesta")),
        *_LEVEL_FIELDS,
    ),
    rows=question_rows,
    version=version,
    models=MODELS,
    tags=("gobierno abierto", "municipios"),
))

register(Dataset(
    name="autodiagnostico-recomendaciones",
    title=_("Autodiagnóstico de gobierno abierto municipal: recomendaciones"),
    description=_("Las recomendaciones de política por componente y nivel (básico, "
                  "intermedio, avanzado) que el autodiagnóstico ofrece para las áreas de "
                  "oportunidad encontradas."),
    fields=(
        *_COMPONENT_FIELDS,
        *_LEVEL_FIELDS,
        Field("numero", T.INTEGER, _("Número de la recomendación en su componente")),
        Field("recomendacion", T.STRING, _("Texto de la recomendación")),
    ),
    rows=recommendation_rows,
    version=version,
    models=MODELS,
    tags=("gobierno abierto", "municipios"),
))
