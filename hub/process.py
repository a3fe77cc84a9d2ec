"""What every long-lived process does once it has loaded the code it runs."""

import gc


def settle() -> None:
    """Load what every request needs (the URLconf imports every view), then set everything
    loaded so far aside from the garbage collector for good (``gc.freeze``): the ~350,000
    objects of Django, Wagtail and the project live as long as the process, yet each full
    collection walked all of them, a pause of ~150 ms that fell on whichever request or job
    was running (the p99 of the pages and of the open data misses). Called once per process,
    as it starts: in each gunicorn worker (or in the master with ``--preload``, hub/wsgi.py),
    and in each Celery worker before it starts its pool, whose children inherit it
    (hub/celery.py); frozen objects are then not copied into each child by the collector."""
    from django.urls import get_resolver

    _patterns = get_resolver().url_patterns  # imports every view module
    gc.collect()
    gc.freeze()
