"""A demo contest (radio spots, essays, drawings), used by ``bootstrap --demo``, the tests
and the benchmark."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .models import Category, ContestCallPage, ContestSeriesPage, Criterion

RUBRIC = [("Claridad del mensaje", 2), ("Creatividad", 2), ("Apego al tema", 1),
          ("Calidad de producción", 1), ("Inclusión", 1)]


def create_call(home, *, slug: str = "concurso-nacional-de-spots-de-radio", edition: int = 5,
                opens_at: dt.datetime | None = None, closes_at: dt.datetime | None = None,
                results_at: dt.datetime | None = None, reviews_per_entry: int = 2,
                video_max_mb: int = 100, spot_max_mb: int = 10) -> ContestCallPage:
    now = timezone.now()
    series = ContestSeriesPage.objects.child_of(home).filter(slug=slug).first()
    if series is None:
        series = ContestSeriesPage(
            title="Concurso Nacional de Spots de Radio", slug=slug,
            intro="Estudiantes de licenciatura producen spots de radio sobre el derecho de acceso a la "
                  "información y la protección de datos personales. Las obras ganadoras las usan "
                  "gratuitamente todos los órganos garantes.")
        home.add_child(instance=series)
        series.save_revision().publish()
    opens_at = opens_at or now - dt.timedelta(days=7)
    closes_at = closes_at or now + dt.timedelta(days=14)
    call = ContestCallPage(
        title=f"{edition}º Concurso Nacional de Spots de Radio", slug=f"edicion-{edition}",
        edition=edition, year=timezone.localtime(closes_at).year,
        intro="Convocatoria para estudiantes de educación superior de todo el país.",
        themes="Acceso a la información pública\nProtección de datos personales\nGobierno abierto",
        opens_at=opens_at, closes_at=closes_at,
        results_at=results_at or closes_at + dt.timedelta(days=30),
        reviews_per_entry=reviews_per_entry, contact_email="concursos@snt.org.mx",
    )
    call.categories = [
        Category(name="Spot de radio universitario", code="SPOT", kind="spot",
                 education_levels=["licenciatura", "posgrado"], min_age=17, max_team_size=3,
                 max_file_mb=spot_max_mb, max_audio_seconds=30,
                 prizes="1º lugar: $20,000 · 2º lugar: $15,000 · 3º lugar: $10,000"),
        Category(name="Ensayo", code="ENS", kind="ensayo", max_file_mb=10,
                 education_levels=["bachillerato", "licenciatura", "posgrado"]),
        Category(name="Dibujo infantil", code="DIB", kind="dibujo", max_age=15, max_file_mb=10,
                 education_levels=["primaria", "secundaria"]),
        Category(name="Video", code="VID", kind="video", max_file_mb=video_max_mb, max_team_size=5),
    ]
    call.criteria = [Criterion(name=name, weight=weight, min_score=0, max_score=10)
                     for name, weight in RUBRIC]
    series.add_child(instance=call)
    call.save_revision().publish()
    return call
