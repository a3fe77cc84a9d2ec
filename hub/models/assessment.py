"""The municipal open-government self-assessment (seed 002): its questionnaire and its
recommendations, as data Coordinación edits in the admin.

Only the questionnaire is stored. Answers are never stored: the tool scores a POST and renders
the result (hub/selfassessment/).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import StreamField
from wagtail.models import Orderable


class AssessmentLevel(models.TextChoices):
    """The three levels of the seed, in order; an answer may also show none of them yet."""

    BASIC = "basico", _("Básico")
    INTERMEDIATE = "intermedio", _("Intermedio")
    ADVANCED = "avanzado", _("Avanzado")


# What an answer option may show: a level, or that the practice is not in place yet.
NOT_YET = "ninguno"
OPTION_LEVELS = [(NOT_YET, _("Aún no alcanza el nivel básico")), *AssessmentLevel.choices]


class AnswerOptionBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("respuesta"), max_length=300)
    level = blocks.ChoiceBlock(choices=OPTION_LEVELS, label=_("nivel que muestra"),
                               default=NOT_YET)

    class Meta:
        icon = "radio-empty"
        label = _("opción de respuesta")


class AssessmentComponent(ClusterableModel):
    """One of the five components of the tool, with its questions and recommendations."""

    name = models.CharField(_("nombre"), max_length=160, unique=True)
    slug = models.SlugField(_("identificador"), max_length=80, unique=True,
                            help_text=_("Parte estable del identificador de sus preguntas en "
                                        "los datos abiertos."))
    description = models.TextField(_("descripción"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("orden"), default=0)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    panels = [
        FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"),
        FieldPanel("sort_order"),
        InlinePanel("questions", heading=_("Preguntas"), label=_("pregunta"), min_num=1),
        InlinePanel("recommendations", heading=_("Recomendaciones"),
                    label=_("recomendación")),
    ]

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("componente del autodiagnóstico")
        verbose_name_plural = _("componentes del autodiagnóstico")

    def __str__(self):
        return self.name


class AssessmentQuestion(Orderable):
    """A question of a component; each answer option shows a level (or none yet)."""

    component = ParentalKey(AssessmentComponent, on_delete=models.CASCADE,
                            related_name="questions", verbose_name=_("componente"))
    text = models.CharField(_("pregunta"), max_length=400)
    help_text = models.TextField(_("aclaración"), blank=True)
    options = StreamField([("option", AnswerOptionBlock())], verbose_name=_("opciones"),
                          min_num=2,
                          help_text=_("De la práctica más débil a la más sólida; cada opción "
                                      "indica el nivel que muestra."))
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    panels = [FieldPanel("text"), FieldPanel("help_text"), FieldPanel("options")]

    class Meta(Orderable.Meta):
        verbose_name = _("pregunta del autodiagnóstico")
        verbose_name_plural = _("preguntas del autodiagnóstico")

    def __str__(self):
        return self.text

    def clean(self):
        super().clean()
        levels = {block.value["level"] for block in self.options or ()}
        if self.options and AssessmentLevel.ADVANCED not in levels:
            # Otherwise no answer could ever put the component at the advanced level.
            raise ValidationError({"options": _("Al menos una opción debe mostrar el nivel "
                                                "avanzado.")})


class AssessmentRecommendation(Orderable):
    """A recommendation of the seed, placed in its component and level."""

    component = ParentalKey(AssessmentComponent, on_delete=models.CASCADE,
                            related_name="recommendations", verbose_name=_("componente"))
    level = models.CharField(_("nivel"), max_length=12, choices=AssessmentLevel.choices)
    text = models.TextField(_("recomendación"))
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    panels = [FieldPanel("level"), FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("recomendación del autodiagnóstico")
        verbose_name_plural = _("recomendaciones del autodiagnóstico")

    def __str__(self):
        return self.text
