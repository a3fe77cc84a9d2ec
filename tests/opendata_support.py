"""Shared by the open-data tests of every app: the rows of a dataset, read back only if the
rebuild job had already stored its bodies (a cache hit). Jobs run in-process with the
``jobs_inline`` fixture (tests/conftest.py)."""

from __future__ import annotations

from django.core.cache import cache

from hub import opendata


def rows_from_the_cache(client, name: str) -> list[dict]:
    """The rows of ``/datos/<name>.json``, checking that its JSON and CSV for the data as it
    is now were already stored (by the rebuild job), so the request was a hit."""
    dataset = opendata.get_dataset(name)
    found = opendata.validator(dataset)
    for fmt in ("json", "csv"):
        assert cache.has_key(opendata._body_key(fmt, found)), f"{name}.{fmt} was not rebuilt"
    response = client.get(f"/datos/{name}.json")
    assert response.status_code == 200 and response["ETag"] == found.etag
    return response.json()["results"]
