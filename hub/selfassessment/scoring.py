"""The questionnaire as plain values, and the scoring of one set of answers.

Nothing here writes anything: ``questionnaire()`` reads the editable data (three queries) and
``score()`` is a pure function of it and the answers.

The rule (also shown on the page): each answer option shows a level (or none yet). A
component is at the highest level that *every* one of its answers shows; its recommendations
for each level above that one are the gaps to work on, the next level first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from hub.models import AssessmentComponent, AssessmentLevel, AssessmentQuestion
from hub.models.assessment import NOT_YET, OPTION_LEVELS

LEVELS = (NOT_YET, *AssessmentLevel.values)  # from weakest to strongest
RANK = {level: rank for rank, level in enumerate(LEVELS)}
LABELS = dict(OPTION_LEVELS)
NOT_YET_SHORT = _("Aún sin nivel básico")


def level_label(level: str) -> str:
    return str(NOT_YET_SHORT if level == NOT_YET else LABELS[level])


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    level: str

    @property
    def level_label(self) -> str:
        return level_label(self.level)


@dataclass(frozen=True)
class Question:
    pk: int
    text: str
    help_text: str
    options: tuple[Option, ...]

    @property
    def field_name(self) -> str:
        return f"p{self.pk}"

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True)
class Component:
    pk: int
    slug: str
    name: str
    description: str
    questions: tuple[Question, ...]
    recommendations: dict[str, tuple[str, ...]]  # level -> texts, in order


def questionnaire() -> list[Component]:
    """The current questionnaire; a question without options cannot be answered: left out."""
    components = AssessmentComponent.objects.prefetch_related(
        Prefetch("questions", queryset=AssessmentQuestion.objects.order_by("sort_order", "pk")),
        "recommendations",
    )
    found = []
    for component in components:
        questions = []
        for question in component.questions.all():
            options = tuple(
                Option(id=block.id, label=block.value["label"], level=block.value["level"])
                for block in question.options if block.value["level"] in RANK
            )
            if options:
                questions.append(Question(pk=question.pk, text=question.text,
                                          help_text=question.help_text, options=options))
        recommendations: dict[str, list[str]] = {level: [] for level in AssessmentLevel.values}
        for rec in sorted(component.recommendations.all(), key=lambda r: (r.sort_order, r.pk)):
            recommendations.setdefault(rec.level, []).append(rec.text)
        if questions:
            found.append(Component(
                pk=component.pk, slug=component.slug, name=component.name,
                description=component.description, questions=tuple(questions),
                recommendations={k: tuple(v) for k, v in recommendations.items()},
            ))
    return found


@dataclass(frozen=True)
class Answer:
    question: Question
    option: Option

    @property
    def met(self) -> bool:
        """The answer shows at least the basic level."""
        return self.option.level != NOT_YET


@dataclass(frozen=True)
class LevelAdvice:
    level: str
    label: str
    is_next: bool
    recommendations: tuple[str, ...]
    # The answers that do not show this level yet: where the gap is.
    short_answers: tuple[Answer, ...]


@dataclass(frozen=True)
class ComponentResult:
    component: Component
    level: str
    answers: tuple[Answer, ...]
    advice: tuple[LevelAdvice, ...] = field(default_factory=tuple)

    @property
    def level_label(self) -> str:
        return level_label(self.level)

    @property
    def rank(self) -> int:
        return RANK[self.level]

    @property
    def met(self) -> tuple[Answer, ...]:
        return tuple(a for a in self.answers if a.met)


@dataclass(frozen=True)
class Result:
    components: tuple[ComponentResult, ...]

    @property
    def lowest(self) -> tuple[ComponentResult, ...]:
        """The components at the lowest level found: where to start."""
        low = min(c.rank for c in self.components)
        return tuple(c for c in self.components if c.rank == low)

    def count_at(self) -> list[tuple[str, int]]:
        return [(level_label(level), sum(1 for c in self.components if c.level == level))
                for level in LEVELS]


def score(components: list[Component], chosen: dict[str, str]) -> Result:
    """``chosen`` maps each question's ``field_name`` to the id of the option picked; every
    question must be answered (the form makes sure)."""
    results = []
    for component in components:
        answers = tuple(Answer(q, q.option(chosen[q.field_name])) for q in component.questions)
        level = min((a.option.level for a in answers), key=RANK.__getitem__)
        advice = tuple(
            LevelAdvice(
                level=target, label=level_label(target), is_next=RANK[target] == RANK[level] + 1,
                recommendations=component.recommendations.get(target, ()),
                short_answers=tuple(a for a in answers if RANK[a.option.level] < RANK[target]),
            )
            for target in AssessmentLevel.values if RANK[target] > RANK[level]
        )
        results.append(ComponentResult(component=component, level=level, answers=answers,
                                       advice=advice))
    return Result(components=tuple(results))
