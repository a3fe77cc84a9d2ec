import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from contests.models import CategoryJuror, EntrantProfile
from network import rules
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _jobs_run_inline():
    """Contest jobs (receipts, blind copies, notices) run in-process here, when they are
    enqueued: after the transaction commits, which tests trigger with
    ``django_capture_on_commit_callbacks(execute=True)``."""
    from hub.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False
    app.conf.task_eager_propagates = False


@pytest.fixture(autouse=True)
def _empty_private_storage(settings):
    """Each test starts with no stored entrant files, so tests can see what was kept."""
    import shutil
    from pathlib import Path

    root = Path(settings.STORAGES["contests"]["OPTIONS"]["location"])
    shutil.rmtree(root, ignore_errors=True)
    yield


@pytest.fixture
def call(site):
    """An open call with the usual four categories and rubric (``factories.CallFactory``)."""
    from tests.contests.factories import CallFactory

    return CallFactory(phase="open", reviews_per_entry=2)


def make_entrant(username: str, *, birth: str = "2002-03-04", level: str = "licenciatura",
                 state: str = "JAL", school: str = "Universidad de Guadalajara", minor_consent=True):
    user = UserFactory(username=username, is_staff=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    profile = EntrantProfile(user=user, full_name=f"{username.title()} Pérez", state=state, school=school,
                             education_level=level, birth_date=dt.date.fromisoformat(birth),
                             privacy_accepted_at=timezone.now())
    if profile.is_minor and minor_consent:
        profile.guardian_name, profile.guardian_email = "Tutor Pérez", "tutor@example.org"
        profile.guardian_relationship, profile.guardian_consent_at = "madre", timezone.now()
    profile.save()
    return user


@pytest.fixture
def entrant(db):
    return make_entrant("lucia")


@pytest.fixture
def other_entrant(db):
    return make_entrant("mario")


@pytest.fixture
def entrant_client(client, entrant):
    client.force_login(entrant)
    return client


@pytest.fixture
def jurors(call):
    people = [UserFactory(username=f"jurado{n}", is_staff=False, groups=[rules.JURY]) for n in range(3)]
    for category in call.categories.all():
        for person in people:
            CategoryJuror.objects.create(category=category, juror=person)
    return people


def upload(client, entry, slot: str, content: bytes, name: str):
    return client.post(f"/concursos/participacion/{entry.public_id}/archivo/{slot}/",
                       {"file": SimpleUploadedFile(name, content)}, HTTP_ACCEPT="application/json")


def category(call, code: str):
    return call.categories.get(code=code)


def close(response) -> None:
    """Close a streamed file response as the server would, without closing the test's database
    connection (Django's test client does the same around its requests)."""
    from django.core.signals import request_finished
    from django.db import close_old_connections

    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def open_jury(call, *, results_in_days: int = 30):
    """Move a call past its deadline into the jury phase (the entries stay as they are)."""
    now = timezone.now()
    call.opens_at = min(call.opens_at, now - dt.timedelta(days=30))
    call.closes_at = now - dt.timedelta(minutes=1)
    call.grace_minutes = 0
    call.jury_starts_on = call.jury_ends_on = None
    call.results_at = now + dt.timedelta(days=results_in_days)
    call.save()
    return call


def submitted_spot(call, username, *, artist=None, birth="2001-01-01"):
    """An entry sent through the domain, as the wizard does, with a 4-second MP3."""
    from contests.domain import entries as domain
    from tests.contests.files_factory import mp3_bytes

    user = make_entrant(username, birth=birth)
    entry, _ = domain.create_draft(user, category(call, "SPOT"), title=f"Spot de {username}")
    domain.store_file(entry, "audio", SimpleUploadedFile("spot.mp3", mp3_bytes(4, id3_artist=artist)))
    entry, _ = domain.submit(entry)
    return entry
