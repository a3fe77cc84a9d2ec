"""Counting the SQL of one request, for tests that compare two data sizes."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_of_get(client, url) -> int:
    """The number of queries a GET of ``url`` runs, its streamed body included (exports)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        body = b"".join(response) if response.streaming else response.content
    assert response.status_code == 200, body[:500]
    return len(captured)
