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
    now = timezone.now().replace(second=0, microsecond=0)  # a deadline people can read
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


# A call whose jury is at work, so that the demo juror has entries to score blind.
REVIEW_EDITION = 4
REVIEW_ENTRIES = [  # (entrant's user name, full name, title of the spot)
    ("demo-entrante-1", "Luis Entrante Uno", "Tu información, tu derecho"),
    ("demo-entrante-2", "María Entrante Dos", "¿Quién cuida tus datos?"),
    ("demo-entrante-3", "Jorge Entrante Tres", "Pregunta sin miedo"),
]


def _tone_wav(seconds: float, pitch: int, rate: int = 8000) -> bytes:
    """A short 16-bit mono WAV (a square tone): a spot the jury can play."""
    import struct

    frames = round(seconds * rate)
    half = max(1, rate // (2 * pitch))
    data = b"".join(struct.pack("<h", 3000 if (i // half) % 2 else -3000) for i in range(frames))
    chunks = b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16)
    chunks += b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WAVE" + chunks


def create_call_in_review(home, juror) -> ContestCallPage:
    """The previous edition of the radio spots contest, closed three days ago and in its jury
    phase: three entries submitted by demo entrants (who cannot sign in) through the same
    domain steps as on the site, each assigned to ``juror``. Entrants submit while the call is
    open; its dates are then moved to the jury phase, as time would. All of it or nothing
    (``bootstrap`` adds it when it is missing)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from .domain import entries, jury
    from .models import CategoryJuror, EntrantProfile

    User = get_user_model()
    with transaction.atomic():
        call = create_call(home, edition=REVIEW_EDITION, reviews_per_entry=1)
        spot = call.categories.get(code="SPOT")
        for index, (username, name, title) in enumerate(REVIEW_ENTRIES):
            user, _created = User.objects.get_or_create(
                username=username, defaults={"email": f"{username}@enlace.local"})
            user.set_unusable_password()
            user.save()
            EmailAddress.objects.get_or_create(user=user, email=user.email,
                                               defaults={"verified": True, "primary": True})
            EntrantProfile.objects.get_or_create(user=user, defaults={
                "full_name": name, "state": "MEX", "school": "UAEMéx",
                "education_level": "licenciatura", "birth_date": dt.date(2002, 3, index + 1),
                "privacy_accepted_at": timezone.now()})
            entry, _new = entries.create_draft(user, spot, title=title)
            entries.store_file(entry, "audio", SimpleUploadedFile(
                f"spot-{index + 1}.wav", _tone_wav(4 + index, 220 + 110 * index), "audio/wav"))
            entries.submit(entry, actor=user)
        today = timezone.localdate()

        def at(days: int, hour: int, minute: int = 0) -> dt.datetime:  # local time, whole minutes
            return timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=days),
                                                           dt.time(hour, minute)))

        call.opens_at, call.closes_at, call.results_at = at(-40, 9), at(-3, 23, 59), at(30, 12)
        call.jury_starts_on = today - dt.timedelta(days=1)
        call.jury_ends_on = today + dt.timedelta(days=20)
        call.save_revision().publish()
        CategoryJuror.objects.get_or_create(category=spot, juror=juror)
        jury.assign_balanced(call)
    return call
