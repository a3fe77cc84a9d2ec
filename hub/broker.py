"""Broker transports: the embedded one without its races, and Redis that survives restarts.

The Redis part is at the end (RedisChannel). The rest is the embedded broker, kombu's
filesystem transport without its races between processes.

`python3 dev.py start` runs the web server, a worker and beat on one machine with no broker
server to install: messages are files in ``$ENLACE_DATA_DIR/broker``. Kombu's own
filesystem transport lets a reader see a file another process is still writing:

- a producer ``open()``s the message file under its final name and only then writes it;
  a consumer that lists the folder in between takes the empty file and the worker dies
  with ``Unrecoverable error: JSONDecodeError`` (the message is lost too);
- an exchange table (e.g. remote control's "pidbox") is rewritten in place, truncated
  before it is written, so a concurrent reader parses an empty or half-written table;
- a consumer takes a message by moving it to the system's temporary folder, which on
  another disk is a copy and a delete: two workers can both read it, or read each other's
  half-copied file.

This transport removes the three races with the usual POSIX answer: every file is written
under a temporary name and appears under its final name by an atomic ``os.replace``;
a consumer takes a message by renaming it to a name of its own in the same folder, which
exactly one consumer can win; a file that still cannot be parsed is set aside (with a log
line) instead of killing the worker. The database stays the source of truth: a message
that is ever lost is enqueued again by the dispatcher (``ENLACE_REENQUEUE_AFTER``).

``hub.celery`` makes ``filesystem://`` and ``redis://`` mean these transports.
"""

from __future__ import annotations

import logging
import os
import uuid
from queue import Empty
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.transport import redis as kombu_redis
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads

logger = logging.getLogger(__name__)

#: Prefixes of files that are not (yet, or any more) messages: never listed as messages,
#: because a message's name must end in ``.<queue>.msg``.
WRITING = ".writing-"
TAKEN = ".taken-"
BROKEN = ".broken-"


def _write_atomically(path: str, data: bytes) -> None:
    """Write ``data`` so that ``path`` holds either nothing or all of it, never a part."""
    folder, name = os.path.split(path)
    temporary = os.path.join(folder, f"{WRITING}{uuid.uuid4().hex}-{name}")
    try:
        with open(temporary, "xb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


class Channel(filesystem.Channel):
    """Filesystem channel whose files are never seen half-written."""

    # --- exchange tables -------------------------------------------------------------
    def get_table(self, exchange):
        file = self._exchange_file(exchange)
        try:
            raw = file.read_bytes()
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise ChannelError(f"Cannot open {file}") from exc
        return [filesystem.exchange_queue_t(*q) for q in loads(bytes_to_str(raw))]

    def _update_table(self, exchange, change) -> None:
        """Read-modify-write an exchange table under an exclusive lock; readers need none."""
        file = self._exchange_file(exchange)
        self.control_folder.mkdir(parents=True, exist_ok=True)
        lock_path = file.with_name(file.name + ".lock")
        try:
            with open(lock_path, "a") as lock_file:
                filesystem.lock(lock_file, filesystem.LOCK_EX)
                try:
                    queues = self.get_table(exchange)
                    updated = change(list(queues))
                    if updated != queues:
                        _write_atomically(str(file), str_to_bytes(dumps(updated)))
                finally:
                    filesystem.unlock(lock_file)
        except OSError as exc:
            raise ChannelError(f"Cannot update {file}") from exc

    def _queue_bind(self, exchange, routing_key, pattern, queue):
        entry = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")

        def add(queues):
            return queues if entry in queues else [entry, *queues]

        self._update_table(exchange, add)

    def _delete(self, queue, exchange, routing_key, pattern, *args, **kwargs):
        # The virtual channel's bookkeeping, then this transport's table (not the parent's
        # in-place rewrite).
        super(filesystem.Channel, self)._delete(queue, exchange, routing_key, pattern, *args,
                                                **kwargs)
        entry = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
        self._update_table(exchange, lambda queues: [q for q in queues if q != entry])

    # --- messages -----------------------------------------------------------------------
    def _put(self, queue, payload, **kwargs):
        name = f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        path = os.path.join(self.data_folder_out, name)
        try:
            _write_atomically(path, str_to_bytes(dumps(payload)))
        except OSError as exc:
            raise ChannelError(f"Cannot add file {name!r} to directory") from exc

    def _listing(self, queue) -> list[str]:
        """The queue's message names, oldest first; listed again only when used up.

        Listing and sorting a folder per message made each take cost O(n log n) in the
        backlog, so a backlog grew faster the longer it was.
        """
        pending = self.__dict__.setdefault("_enlace_listing", {})
        names = pending.get(queue)
        if not names:
            wanted = f"{queue}.msg"
            names = sorted((name for name in os.listdir(self.data_folder_in)
                            if not name.startswith(".") and name.partition(".")[2] == wanted),
                           reverse=True)  # pop() from the end gives the oldest
            pending[queue] = names
        return names

    def _get(self, queue):
        folder = self.data_folder_in
        names = self._listing(queue)
        while names:
            name = names.pop()
            taken = os.path.join(folder, f"{TAKEN}{uuid.uuid4().hex}-{name}")
            try:
                os.rename(os.path.join(folder, name), taken)  # exactly one consumer wins
            except OSError:
                if not names:  # others took what was listed: look again once
                    names = self._listing(queue)
                continue  # another consumer took it
            try:
                with open(taken, "rb") as handle:
                    raw = handle.read()
            except OSError as exc:
                raise ChannelError(f"Cannot read file {name!r} from queue.") from exc
            try:
                payload = loads(bytes_to_str(raw))
            except ValueError:
                # Never expected with atomic writes; a damaged file must not stop the worker.
                logger.error("Embedded broker: unreadable message %s set aside", name)
                os.replace(taken, os.path.join(folder, f"{BROKEN}{name}"))
                if not names:
                    names = self._listing(queue)
                continue
            if self.store_processed:
                os.replace(taken, os.path.join(self.processed_folder, name))
            else:
                os.unlink(taken)
            return payload
        raise Empty()


class Transport(filesystem.Transport):
    Channel = Channel


# --- Redis ------------------------------------------------------------------------------------

class RedisChannel(kombu_redis.Channel):
    """Kombu's Redis channel, failing like a lost connection once its connection is closed.

    When Redis goes away, Celery closes the dead connection, and the transport forgets its
    client. Work still tied to the old channel then reaches for it: handing back the
    worker's unacknowledged messages while closing, or acknowledging a task that finished
    meanwhile (late acks). Kombu answered with ``AttributeError: 'NoneType' object has no
    attribute 'hostname'``, which no caller expects, and the worker stopped with
    "Unrecoverable error" instead of reconnecting. Raised as a connection error, it is what
    Celery already handles: it logs the failed acknowledgement and reconnects. (The database
    has the outcome of every send; the dispatcher enqueues again whatever is still due.)
    """

    def _connparams(self, asynchronous=False):
        if self.connection is None or self.connection.client is None:
            raise kombu_redis.get_redis_ConnectionError()("The broker connection was closed.")
        return super()._connparams(asynchronous=asynchronous)


class RedisTransport(kombu_redis.Transport):
    Channel = RedisChannel
