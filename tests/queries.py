"""Counting the SQL of one request, for tests that compare two data sizes."""

from contextlib import contextmanager

from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.test.utils import CaptureQueriesContext


def queries_of_get(client, url) -> int:
    """The number of queries a GET of ``url`` runs, its streamed body included (exports)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        body = b"".join(response) if response.streaming else response.content
    assert response.status_code == 200, body[:500]
    return len(captured)


@contextmanager
def queries_and_rows():
    """Counts the queries run and the rows the database sends back while it is open: a
    function returning both (for code that should add up in the database, not in Python)."""
    fetched = [0]

    def counted(name):
        def fetch(self, *args):
            rows = getattr(self.cursor, name)(*args)
            fetched[0] += (1 if rows is not None else 0) if name == "fetchone" else len(rows)
            return rows
        return fetch

    originals = {name: CursorWrapper.__dict__.get(name)
                 for name in ("fetchone", "fetchmany", "fetchall")}
    for name in originals:
        setattr(CursorWrapper, name, counted(name))
    try:
        with CaptureQueriesContext(connection) as queries:
            yield lambda: (len(queries), fetched[0])
    finally:
        for name, original in originals.items():
            if original is None:
                delattr(CursorWrapper, name)
            else:
                setattr(CursorWrapper, name, original)
