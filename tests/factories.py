"""One factory per model, for tests and benchmarks."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from network import models
from network.enums import (
    AgreementStatus,
    AllySector,
    EventKind,
    EventMode,
    ImportKind,
    PersonRole,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"usuario{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "clave-de-prueba-123")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        for name in extracted or ():
            self.groups.add(Group.objects.get(name=name))
        if create:
            self.save()


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Region
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Región {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Institution

    name = factory.Sequence(lambda n: f"Instituto de Transparencia de Prueba {n}")
    acronym = factory.Sequence(lambda n: f"ITP{n}")
    state = "JAL"
    region = factory.LazyFunction(lambda: models.Region.objects.get(slug="centro-occidente"))


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Person

    name = factory.Sequence(lambda n: f"Persona Contacto {n}")
    institution = factory.SubFactory(InstitutionFactory)
    role = PersonRole.COMMUNICATIONS
    position = "Titular de Comunicación"
    email = factory.Sequence(lambda n: f"persona{n}@example.org")
    phone = "55 1234 5678"
    telegram_handle = factory.Sequence(lambda n: f"persona{n}")


class AllyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Ally

    name = factory.Sequence(lambda n: f"Colectivo Aliado {n}")
    sector = AllySector.CIVIL_SOCIETY


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Conversatorio de prueba {n}")
    kind = EventKind.CONVERSATORIO
    mode = EventMode.IN_PERSON
    venue = "Auditorio principal"
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda e: e.starts_at + dt.timedelta(hours=2))
    live = True

    @factory.post_generation
    def organizers(self, create, extracted, **kwargs):
        if create and extracted:
            self.organizers.set(extracted)
            self.save()  # parental relations are written when the cluster is saved


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Agreement
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Convenio de prueba {n}")
    object = "Colaborar en la difusión del derecho de acceso a la información."
    signed_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=100))
    valid_from = factory.LazyAttribute(lambda a: a.signed_on)
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=200))
    status = AgreementStatus.IN_FORCE

    @factory.post_generation
    def institutions(self, create, extracted, **kwargs):
        if create and extracted:
            self.institutions.set(extracted)
            self.save()  # parental relations are written when the cluster is saved

    @factory.post_generation
    def responsible(self, create, extracted, **kwargs):
        if create and extracted:
            self.responsible.set(extracted)
            self.save()  # parental relations are written when the cluster is saved


class VideoCapsuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.VideoCapsule

    title = factory.Sequence(lambda n: f"Cápsula {n}")
    video_url = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    institution = factory.SubFactory(InstitutionFactory)
    live = True


class CommissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Commission

    name = factory.Sequence(lambda n: f"Comisión de Prueba {n}")
    short_name = factory.Sequence(lambda n: f"Prueba {n}")


class CommissionMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CommissionMembership

    commission = factory.SubFactory(CommissionFactory)
    person = factory.SubFactory(PersonFactory)


class AllyContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.AllyContact

    ally = factory.SubFactory(AllyFactory)
    name = factory.Sequence(lambda n: f"Contacto Aliado {n}")
    email = factory.Sequence(lambda n: f"aliado{n}@example.org")


class StaffProfileFactory(factory.django.DjangoModelFactory):
    """Ties a user to the institution they act for (make them an officer with ``groups``)."""

    class Meta:
        model = models.StaffProfile

    user = factory.SubFactory(UserFactory)
    institution = factory.SubFactory(InstitutionFactory)


class ImportBatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ImportBatch

    kind = ImportKind.CONTACTS
    filename = "contactos.csv"
    rows = factory.LazyFunction(lambda: [{"nombre": "Persona Importada"}])
    errors = factory.LazyFunction(list)
    created_by = factory.SubFactory(UserFactory)


class JointAgendaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.JointAgenda
        django_get_or_create = ("region", "year")

    region = factory.LazyFunction(lambda: models.Region.objects.get(slug="centro"))
    year = 2026
    title = factory.Sequence(lambda n: f"Agenda conjunta {n}")


class AgendaObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.AgendaObjective

    agenda = factory.SubFactory(JointAgendaFactory)
    title = factory.Sequence(lambda n: f"Objetivo compartido {n}")


class ActionLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ActionLine
        skip_postgeneration_save = True

    objective = factory.SubFactory(AgendaObjectiveFactory)
    title = factory.Sequence(lambda n: f"Línea de acción {n}")

    @factory.post_generation
    def responsible(self, create, extracted, **kwargs):
        if extracted:
            self.responsible.set(extracted)
            if create:
                self.save()  # parental many-to-many links are written on save


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.FollowUp

    line = factory.SubFactory(ActionLineFactory)
    note = "Avance registrado."


class RoadmapToolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RoadmapTool

    dimension = 1
    name = factory.Sequence(lambda n: f"Herramienta de prueba {n}")
    description = "Una herramienta del modelo, para pruebas."
    duration_label = "1 mes"
    duration_months = 1


class RoadmapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Roadmap

    agreement = factory.SubFactory(AgreementFactory)
    guarantor = factory.SubFactory(InstitutionFactory)
    municipality = factory.Sequence(lambda n: f"Municipio {n}")
    slug = factory.Sequence(lambda n: f"municipio-{n}")
    state = "MEX"
    starts_on = factory.LazyFunction(timezone.localdate)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Milestone

    roadmap = factory.SubFactory(RoadmapFactory)
    tool = factory.SubFactory(RoadmapToolFactory)
    starts_on = factory.LazyFunction(timezone.localdate)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))


class MilestoneReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.MilestoneReminder

    milestone = factory.SubFactory(MilestoneFactory)
    period = 1


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Registration

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Persona registrada {n}")
    email = factory.Sequence(lambda n: f"registro{n}@example.org")
    consent_at = factory.LazyFunction(timezone.now)


class SurveyResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.SurveyResponse

    registration = factory.SubFactory(RegistrationFactory, attended=True)
    rating = 5


def sign_in_outsider(client, role: str, other_institution) -> None:
    """Sign ``client`` in as someone outside a record's parties: ``"other_officer"`` (an
    officer of ``other_institution``), ``"editorial"`` (the editorial committee), or leave it
    signed out (``"anonymous"``)."""
    from network import rules

    if role == "other_officer":
        user = UserFactory(username="oficial-itei", groups=[rules.COMMUNICATIONS])
        models.StaffProfile.objects.create(user=user, institution=other_institution)
        client.force_login(user)
    elif role == "editorial":
        client.force_login(UserFactory(username="editora", groups=[rules.EDITORIAL]))
