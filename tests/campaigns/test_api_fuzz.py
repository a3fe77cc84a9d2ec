"""The API fuzzed from its own OpenAPI description (schemathesis): nothing answers 500.

Every operation is called with generated valid and invalid input (property-based, derandomised
so that a run is repeatable), as an officer with a token; the suite runs it on SQLite and
PostgreSQL.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode

from .factories import make_channel

EXAMPLES = 60


@pytest.fixture
def api_schema(db, infoem):
    make_channel("telegram", infoem)
    make_channel("x", None)
    # As Django's test client does: requests must not close the test's database connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_api_operation_answers_500(api_schema, officer, mode):
    headers = {"Authorization": f"Token {Token.objects.create(user=officer).key}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert {op.label for op in operations} >= {"GET /api/posts/", "POST /api/posts/",
                                               "GET /api/posts/{id}/", "POST /api/channels/"}
    seen = []
    for operation in operations:
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(generation_mode=mode, headers=headers))
        def call(case):
            response = case.call(headers=headers)
            seen.append(response.status_code)
            assert response.status_code < 500, (case.as_curl_command(), response.text[:800])

        try:
            call()
        except Unsatisfiable:  # an operation without any input left to make invalid
            assert mode == GenerationMode.NEGATIVE
    assert len(seen) >= len(operations) * 5


def _moments():
    dates = st.datetimes(min_value=__import__("datetime").datetime(1, 1, 1),
                         max_value=__import__("datetime").datetime(9999, 12, 31, 23, 59, 59))
    zones = st.sampled_from(["", "Z", "+14:00", "-12:00", "-06:00"])
    return st.one_of(st.none(), st.builds(lambda d, z: d.isoformat() + z, dates, zones), st.text(max_size=30))


def test_creating_posts_with_fuzzed_values_on_real_channels_never_answers_500(api_schema, officer, infoem):
    """The generic fuzzing rarely guesses a real channel id; here every field is fuzzed around
    the officer's real channels, so the whole path to a saved post is exercised."""
    from campaigns.models import Channel

    headers = {"Authorization": f"Token {Token.objects.create(user=officer).key}"}
    ids = list(Channel.objects.values_list("pk", flat=True))
    operation = api_schema.find_operation_by_label("POST /api/posts/")
    body = st.fixed_dictionaries({
        "text": st.text(max_size=400),
        "channels": st.lists(st.sampled_from([*ids, 0, -1, 2 ** 63, 2 ** 31]), min_size=0, max_size=4),
    }, optional={
        "title": st.text(max_size=200), "link": st.one_of(st.text(max_size=60), st.just("https://snt.org.mx/x")),
        "tags": st.lists(st.text(max_size=70), max_size=4), "publish_at": _moments(),
        "campaign": st.one_of(st.none(), st.integers(min_value=-2, max_value=2 ** 64)),
    })
    statuses = []

    @settings(max_examples=120, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(payload=body)
    def call(payload):
        case = operation.Case(body=payload, headers=headers, media_type="application/json")
        response = case.call()
        statuses.append(response.status_code)
        assert response.status_code < 500, (payload, response.text[:800])

    call()
    assert 201 in statuses and 400 in statuses
