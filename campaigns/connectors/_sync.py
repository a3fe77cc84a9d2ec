"""Running the asyncio APIs of python-telegram-bot from synchronous Celery workers.

``asgiref.async_to_sync`` runs the coroutine in an event loop of its own, and lets the
coroutine call back into synchronous Django code (``sync_to_async``) on the calling thread,
with the caller's database connection and transaction.
"""

from __future__ import annotations

from asgiref.sync import async_to_sync, sync_to_async


def run(coro_factory):
    return async_to_sync(coro_factory)()


def call_back(function):
    """An awaitable running a synchronous function (ORM included) on the calling thread."""
    return sync_to_async(function, thread_sensitive=True)
