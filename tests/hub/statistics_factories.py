"""Factories of the quarterly statistics (one per model)."""

import factory

from hub.models.statistics import QuarterlyReport, StatisticField, StatisticsImport
from hub.statistics.enums import FigureKind
from network.models import Institution


class StatisticFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatisticField
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"campo_{n}")
    label = factory.Sequence(lambda n: f"Campo adicional {n}")
    unit = "personas"
    kind = FigureKind.INTEGER


class QuarterlyReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuarterlyReport

    institution = factory.LazyFunction(lambda: Institution.objects.get(acronym="INFOEM"))
    year = 2025
    quarter = 1
    requests_received = 100
    requests_on_time = 90
    appeals = 5
    people_trained = 40
    events = 3
    campaign_reach = 1000


class StatisticsImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatisticsImport

    filename = "estadisticas.csv"
