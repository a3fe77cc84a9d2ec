"""Open dataset of participation: aggregates per quarter, institution and mechanism."""

from django.utils.translation import gettext_lazy as _

from hub.opendata import Dataset, Field, changes, register
from hub.opendata import FieldType as T

from .domain.participation_indicators import open_data_rows
from .models import Event, Institution, Registration, SurveyResponse


def participation_version():
    return (changes(Event.objects.all()), changes(Registration.objects.all()),
            changes(SurveyResponse.objects.all(), "answered_at"),
            changes(Institution.objects.all()))


register(Dataset(
    name="participacion",
    title=_("Participación ciudadana en eventos de la red"),
    description=_("Personas registradas, asistentes, personas capacitadas y satisfacción por "
                  "trimestre, institución organizadora y mecanismo de participación. Solo "
                  "cifras agregadas: no incluye datos personales. Un evento con varias "
                  "instituciones organizadoras cuenta para cada una."),
    fields=(
        Field("anio", T.INTEGER, _("Año del evento")),
        Field("trimestre", T.INTEGER, _("Trimestre del año (1 a 4)")),
        Field("institucion", T.STRING, _("Siglas de la institución organizadora")),
        Field("region", T.STRING, _("Región del SNT de la institución")),
        Field("mecanismo", T.STRING, _("Mecanismo de participación (consulta pública, mesa "
                                      "de diálogo, capacitación, etc.)")),
        Field("eventos", T.INTEGER, _("Eventos realizados")),
        Field("personas_registradas", T.INTEGER, _("Personas con lugar confirmado")),
        Field("asistentes", T.INTEGER, _("Personas que asistieron (incluye registro en sitio)")),
        Field("personas_capacitadas", T.INTEGER, _("Asistentes a capacitaciones")),
        Field("respuestas_encuesta", T.INTEGER, _("Respuestas a la encuesta de satisfacción")),
        # The threshold is MIN_ANSWERS_PUBLISHED.
        Field("satisfaccion_promedio", T.NUMBER,
              _("Promedio de satisfacción de 1 a 5; vacío con menos de 3 respuestas")),
    ),
    rows=open_data_rows,
    version=participation_version,
    models=("network.Event", "network.Registration", "network.SurveyResponse",
            "network.Institution"),
))
