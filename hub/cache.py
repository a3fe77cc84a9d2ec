"""A Redis cache that degrades to "nothing cached" while Redis is unreachable.

The cache only ever holds copies (a setting read from the database, request counters of the
API's throttles): losing it for a while must slow the product down, never turn a request into
a 500, let alone one that has already saved what a person sent. Every operation that fails to
reach Redis is logged (without the server's address, which may carry a password) and answered
as if the key were absent.
"""

from __future__ import annotations

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


def _warn(operation: str, exc: Exception) -> None:
    log.warning("Cache unreachable during %s (%s); answering as if empty.", operation,
                type(exc).__name__)


class ResilientRedisCache(RedisCache):
    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNREACHABLE as exc:
            _warn("get", exc)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except UNREACHABLE as exc:
            _warn("get_many", exc)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except UNREACHABLE as exc:
            _warn("has_key", exc)
            return False

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except UNREACHABLE as exc:
            _warn("add", exc)
            return True

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except UNREACHABLE as exc:
            _warn("incr", exc)
            raise ValueError(f"Key '{key}' not found") from None

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set(key, value, timeout, version)
        except UNREACHABLE as exc:
            _warn("set", exc)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except UNREACHABLE as exc:
            _warn("set_many", exc)
            return list(data)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except UNREACHABLE as exc:
            _warn("touch", exc)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNREACHABLE as exc:
            _warn("delete", exc)
            return False

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except UNREACHABLE as exc:
            _warn("delete_many", exc)

    def clear(self):
        try:
            return super().clear()
        except UNREACHABLE as exc:
            _warn("clear", exc)
            return False


def allow(key: str, *, limit: int, per_seconds: int) -> bool:
    """A small fixed-window rate limit in the shared cache: True while ``key`` has been counted
    at most ``limit`` times in the current ``per_seconds`` window. Public forms that send
    e-mail or do heavy work (event registration, the self-assessment's PDF) ask it first."""
    from django.core.cache import cache

    cache_key = f"enlace:rate:{key}"
    cache.add(cache_key, 0, per_seconds)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, per_seconds)
        count = 1
    return count <= limit


def client_address(request) -> str:
    """The visitor's address as the site sees it (the proxy passes it in REMOTE_ADDR, as for
    django-axes)."""
    return request.META.get("REMOTE_ADDR", "") or "desconocida"
