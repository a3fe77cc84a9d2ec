"""One factory per contests model. Calls are Wagtail pages: ``CallFactory`` adds a published
edition under a contest series (made under the site's home page when none is given).

``CallFactory()`` is an open call shaped like a real one: four categories (SPOT, ENS, DIB,
VID) and a five-criterion rubric weighted 2, 2, 1, 1, 1 on 0–10. Its ``phase`` decides the
dates: ``upcoming``, ``open`` (default), ``closed`` (jury not started), ``in_review``,
``results`` (published, public)."""

from __future__ import annotations

import datetime as dt

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from contests.enums import CategoryKind, EducationLevel, EntryStatus
from contests.models import (
    Assignment,
    Award,
    Category,
    CategoryJuror,
    CoAuthor,
    ContestCallPage,
    ContestSeriesPage,
    Criterion,
    EntrantProfile,
    Entry,
    Extension,
    ResultsPublication,
    Review,
)
from network import rules
from tests.factories import UserFactory

RUBRIC = [("Claridad del mensaje", 2), ("Creatividad", 2), ("Apego al tema", 1),
          ("Calidad de producción", 1), ("Inclusión", 1)]


def _home():
    from hub.bootstrap import ensure_site

    return ensure_site()


def phase_dates(phase: str, now: dt.datetime | None = None) -> dict:
    """Dates that put a call in ``phase`` at ``now``."""
    now = now or timezone.now()
    day = dt.timedelta(days=1)
    today = timezone.localdate(now)
    if phase == "upcoming":
        return {"opens_at": now + day, "closes_at": now + 15 * day, "results_at": now + 45 * day}
    if phase == "open":
        return {"opens_at": now - 7 * day, "closes_at": now + 14 * day, "results_at": now + 44 * day}
    if phase == "closed":
        return {"opens_at": now - 30 * day, "closes_at": now - day, "results_at": now + 30 * day,
                "jury_starts_on": today + 2 * day, "jury_ends_on": today + 20 * day}
    if phase == "in_review":
        return {"opens_at": now - 30 * day, "closes_at": now - 3 * day, "results_at": now + 30 * day,
                "jury_starts_on": today - day, "jury_ends_on": today + 20 * day}
    if phase == "results":
        return {"opens_at": now - 60 * day, "closes_at": now - 30 * day, "results_at": now - day,
                "jury_starts_on": today - 28 * day, "jury_ends_on": today - 5 * day}
    raise ValueError(phase)


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContestSeriesPage

    title = factory.Sequence(lambda n: f"Concurso de prueba {n}")
    slug = factory.Sequence(lambda n: f"concurso-de-prueba-{n}")
    intro = "Un concurso para las pruebas."

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        page = model_class(*args, **kwargs)
        (parent or _home()).add_child(instance=page)
        page.save_revision().publish()
        return page


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContestCallPage

    phase = "open"
    title = factory.Sequence(lambda n: f"{n}º Concurso Nacional de Spots de Radio")
    slug = factory.Sequence(lambda n: f"edicion-{n}")
    edition = factory.Sequence(lambda n: n + 1)
    intro = "Convocatoria para estudiantes de educación superior de todo el país."
    themes = "Acceso a la información pública\nProtección de datos personales\nGobierno abierto"
    reviews_per_entry = 2
    contact_email = "concursos@snt.org.mx"

    @classmethod
    def _create(cls, model_class, *args, parent=None, phase="open", categories=None, criteria=None,
                **kwargs):
        dates = phase_dates(phase)
        dates.update({k: v for k, v in kwargs.items() if k in dates or k.startswith("jury_")})
        kwargs.update(dates)
        kwargs.setdefault("year", timezone.localtime(kwargs["closes_at"]).year)
        call = model_class(*args, **kwargs)
        call.categories = categories if categories is not None else default_categories()
        call.criteria = criteria if criteria is not None else [
            Criterion(name=name, weight=weight, min_score=0, max_score=10) for name, weight in RUBRIC]
        (parent or SeriesFactory()).add_child(instance=call)
        call.save_revision().publish()
        if phase == "results":
            ResultsPublication.objects.create(call=call)
        return call


def default_categories() -> list[Category]:
    return [
        Category(name="Spot de radio universitario", code="SPOT", kind=CategoryKind.SPOT,
                 education_levels=[EducationLevel.UNDERGRADUATE, EducationLevel.GRADUATE], min_age=17,
                 max_team_size=3, max_file_mb=10, max_audio_seconds=30,
                 prizes="1º lugar: $20,000 · 2º lugar: $15,000 · 3º lugar: $10,000"),
        Category(name="Ensayo", code="ENS", kind=CategoryKind.ESSAY, max_file_mb=10,
                 education_levels=[EducationLevel.HIGH_SCHOOL, EducationLevel.UNDERGRADUATE,
                                   EducationLevel.GRADUATE]),
        Category(name="Dibujo infantil", code="DIB", kind=CategoryKind.DRAWING, max_age=15, max_file_mb=10,
                 education_levels=[EducationLevel.PRIMARY, EducationLevel.SECONDARY]),
        Category(name="Video", code="VID", kind=CategoryKind.VIDEO, max_file_mb=100, max_team_size=5),
    ]


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    call = factory.SubFactory(CallFactory, categories=[])
    name = factory.Sequence(lambda n: f"Categoría {n}")
    code = factory.Sequence(lambda n: f"CAT{n}")
    kind = CategoryKind.ESSAY


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    call = factory.SubFactory(CallFactory)
    name = factory.Sequence(lambda n: f"Criterio {n}")
    weight = 1
    min_score = 0
    max_score = 10


class EntrantFactory(UserFactory):
    """An entrant's account with a confirmed e-mail (``verified=False`` for one without)."""

    is_staff = False

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=self, email=self.email, primary=True,
                                        verified=True if extracted is None else bool(extracted))


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EntrantProfile

    user = factory.SubFactory(EntrantFactory)
    full_name = factory.LazyAttribute(lambda p: f"{p.user.username.title()} Pérez")
    state = "JAL"
    school = "Universidad de Guadalajara"
    education_level = EducationLevel.UNDERGRADUATE
    birth_date = dt.date(2002, 3, 4)
    privacy_accepted_at = factory.LazyFunction(timezone.now)


class JurorFactory(UserFactory):
    """A person of the Jurado group (no admin access)."""

    is_staff = False

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        from django.contrib.auth.models import Group

        for name in extracted if extracted is not None else (rules.JURY,):
            self.groups.add(Group.objects.get(name=name))
        if create:
            self.save()


class CategoryJurorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CategoryJuror

    category = factory.SubFactory(CategoryFactory)
    juror = factory.SubFactory(JurorFactory)


class EntryFactory(factory.django.DjangoModelFactory):
    """A submitted entry (folio given) by an entrant with a profile; no files."""

    class Meta:
        model = Entry

    call = factory.LazyAttribute(lambda e: e.category.call)
    category = factory.SubFactory(CategoryFactory)
    owner = factory.LazyFunction(lambda: ProfileFactory().user)
    title = factory.Sequence(lambda n: f"Obra {n}")
    status = EntryStatus.SUBMITTED
    folio = factory.LazyAttributeSequence(
        lambda e, n: None if e.status == EntryStatus.DRAFT
        else f"{e.category.code}-{e.call.year}-{n + 1:04d}")
    submitted_at = factory.LazyAttribute(
        lambda e: timezone.now() if e.status != EntryStatus.DRAFT else None)
    has_unsent_changes = False
    owner_was_minor = False


class CoAuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoAuthor

    entry = factory.SubFactory(EntryFactory)
    name = factory.Sequence(lambda n: f"Coautora {n}")
    email = factory.Sequence(lambda n: f"coautora{n}@example.org")


class ExtensionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Extension

    call = factory.SubFactory(CallFactory)
    entrant = factory.LazyFunction(lambda: ProfileFactory().user)
    until = factory.LazyAttribute(lambda x: x.call.deadline + dt.timedelta(hours=2))
    reason = "Falla eléctrica"


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    entry = factory.SubFactory(EntryFactory)
    juror = factory.SubFactory(JurorFactory)


class ReviewFactory(factory.django.DjangoModelFactory):
    """A review by an assigned juror (the assignment is made too), every criterion at 7."""

    class Meta:
        model = Review

    entry = factory.SubFactory(EntryFactory)
    juror = factory.SubFactory(JurorFactory)
    scores = factory.LazyAttribute(lambda r: {str(c.pk): 7 for c in r.entry.call.criteria.all()})

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        Assignment.objects.get_or_create(entry=kwargs["entry"], juror=kwargs["juror"])
        return super()._create(model_class, *args, **kwargs)


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Award

    entry = factory.SubFactory(EntryFactory)
    place = 1
