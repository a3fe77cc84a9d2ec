import pytest
from django.core.cache import cache, caches

from hub import sitecache
from network import rules
from network.models import Institution, StaffProfile
from tests.factories import UserFactory


def pytest_configure(config):
    _flush_postgresql_with_delete()


def _flush_postgresql_with_delete():
    """Empty PostgreSQL's tables between transactional tests with DELETE, not TRUNCATE.

    TRUNCATE of the project's ~175 tables gives each one new files: about 3–5 s a test on this
    machine, most of the PostgreSQL pass's time. DELETE of a test's few rows takes tens of
    milliseconds. Django's foreign keys are DEFERRABLE, so the order does not matter inside
    the flush's transaction. Sequences are not reset, as with Django's TRUNCATE (a test that
    asks for reset_sequences still gets Django's statement).
    """
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or not tables:
            return truncate(self, style, tables, reset_sequences=reset_sequences,
                            allow_cascade=allow_cascade)
        return ["SET CONSTRAINTS ALL DEFERRED;", *(
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};"
            for table in tables)]

    DatabaseOperations.sql_flush = sql_flush


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    caches["pagecache"].clear()  # rolled-back rows purge nothing: pages must not outlive a test
    sitecache.clear()  # nor the site's rows a process keeps (hub/sitecache.py)
    yield
    cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database as a fresh installation has it: migrated, then the site made once
    (``hub.bootstrap.ensure_site``: about 0.4 s, which each of some 900 tests paid again).
    Each test's transaction rolls its changes back; a transactional test's flush removes the
    site, and the ``site`` fixture makes it again for the tests that ask for it."""
    from hub.bootstrap import ensure_site

    with django_db_blocker.unblock():
        ensure_site()


@pytest.fixture
def site(db):
    """The home page, privacy notice and contact page, as a fresh installation has them."""
    from hub.bootstrap import ensure_site

    return ensure_site()


@pytest.fixture
def infoem(db):
    return Institution.objects.get(acronym="INFOEM")


@pytest.fixture
def itei(db):
    return Institution.objects.get(acronym="ITEI")


@pytest.fixture
def coordinator(db):
    return UserFactory(username="coordinadora", groups=[rules.COORDINATION])


@pytest.fixture
def officer(db, infoem):
    """A communications officer of INFOEM."""
    user = UserFactory(username="oficial-infoem", groups=[rules.COMMUNICATIONS])
    StaffProfile.objects.create(user=user, institution=infoem)
    return user


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def pytest_sessionfinish(session, exitstatus):
    """Remove the temporary media and broker folders the test settings created."""
    import shutil

    from django.conf import settings

    for folder in (settings.MEDIA_ROOT, getattr(settings, "TEST_BROKER_FOLDER", None)):
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def reference_data(transactional_db):
    """Reload what migrations put in the database, for tests that flush it between runs."""
    import importlib

    from django.apps import apps
    from django.conf import settings
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Collection, Locale, Page

    from hub.roles import sync_roles

    code = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    locale, _ = Locale.objects.get_or_create(language_code=code)
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    importlib.import_module("network.migrations.0002_reference_data").load(apps, None)
    importlib.import_module("network.migrations.0005_roadmap_catalogue").load(apps, None)
    from hub.selfassessment import seed

    seed.load(apps)  # hub 0006: the self-assessment's questionnaire and recommendations
    sync_roles(apps)
    from publications.workflow_setup import ensure_editorial_workflow

    ensure_editorial_workflow(apps)  # publications' migrations: the committee's workflows
    importlib.import_module("publications.migrations.0003_booklets_load_laws").load(apps, None)


@pytest.fixture
def fake_telegram(settings):
    """A fake Telegram Bot API on 127.0.0.1 that the real python-telegram-bot talks to."""
    from campaigns.devtools.fake_networks import FakeTelegram

    server = FakeTelegram().start()
    settings.TELEGRAM_API_BASE_URL = server.url
    yield server
    server.stop()


@pytest.fixture
def fake_x(settings):
    """A fake X API v2 on 127.0.0.1 that the real tweepy talks to."""
    from campaigns.devtools.fake_networks import FakeX

    server = FakeX().start()
    settings.X_API_BASE_URL = server.url
    yield server
    server.stop()


@pytest.fixture
def jobs_inline():
    """Jobs run in-process when enqueued (after the transaction commits, which tests trigger
    with ``django_capture_on_commit_callbacks(execute=True)``)."""
    from hub.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False
    app.conf.task_eager_propagates = False
