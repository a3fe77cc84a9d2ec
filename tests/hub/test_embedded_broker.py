"""The embedded broker (`filesystem://`, hub/broker.py) under several processes at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from queue import Empty

import pytest
from kombu import Connection
from kombu.transport import resolve_transport

from hub import broker

ROOT = Path(__file__).resolve().parents[2]

PEER = r"""
import json, sys, time
from queue import Empty
from kombu import Connection
from hub.broker import Transport

role, folder, count, tag = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
options = {"data_folder_in": folder, "data_folder_out": folder, "control_folder": folder + "/c"}
with Connection("filesystem://", transport=Transport, transport_options=options) as conn:
    queue = conn.SimpleQueue("jobs")
    if role == "produce":
        for i in range(count):
            queue.put({"id": f"{tag}-{i}"})
    else:
        got, errors, idle_since = [], [], time.monotonic()
        while time.monotonic() - idle_since < 3:
            try:
                message = queue.get(timeout=0.2)
            except Empty:
                continue
            except Exception as exc:  # what used to stop the worker
                errors.append(repr(exc))
                continue
            got.append(message.payload["id"])
            message.ack()
            idle_since = time.monotonic()
        print(json.dumps({"got": got, "errors": errors}))
"""


def _connection(folder: Path) -> Connection:
    options = {"data_folder_in": str(folder), "data_folder_out": str(folder),
               "control_folder": str(folder / "c")}
    return Connection("filesystem://", transport_options=options)


def test_filesystem_url_means_the_race_free_transport():
    import hub.celery  # noqa: F401  (registers the alias, as every Enlace process does)

    assert resolve_transport("filesystem") is broker.Transport


def test_a_message_being_written_is_never_taken_half_written(tmp_path, monkeypatch):
    writing, release = threading.Event(), threading.Event()
    real_dumps = broker.dumps

    def slow_dumps(payload):
        writing.set()
        release.wait(10)
        return real_dumps(payload)

    with _connection(tmp_path) as producer_conn, _connection(tmp_path) as consumer_conn:
        producer, consumer = producer_conn.default_channel, consumer_conn.default_channel
        monkeypatch.setattr(broker, "dumps", slow_dumps)
        thread = threading.Thread(target=producer._put, args=("jobs", {"body": "aviso"}))
        thread.start()
        assert writing.wait(10)
        with pytest.raises(Empty):  # kombu's own transport hands out the empty file here
            consumer._get("jobs")
        release.set()
        thread.join(10)
        monkeypatch.setattr(broker, "dumps", real_dumps)
        assert consumer._get("jobs") == {"body": "aviso"}


def test_a_damaged_message_file_is_set_aside_and_the_next_one_delivered(tmp_path):
    with _connection(tmp_path) as conn:
        channel = conn.default_channel
        (tmp_path / "0_damaged.jobs.msg").write_bytes(b'{"bo')
        channel._put("jobs", {"body": "siguiente"})
        assert channel._get("jobs") == {"body": "siguiente"}
        assert [p.name for p in tmp_path.glob(".broken-*")] == [".broken-0_damaged.jobs.msg"]
        with pytest.raises(Empty):
            channel._get("jobs")


def test_exchange_tables_stay_whole_while_processes_bind_and_unbind(tmp_path):
    with _connection(tmp_path) as conn:
        channel = conn.default_channel
        for i in range(20):
            channel._queue_bind("celery.pidbox", "", "", f"worker{i}")
        channel._delete("worker3", "celery.pidbox", "", "")
        queues = {q.queue for q in channel.get_table("celery.pidbox")}
    assert queues == {f"worker{i}" for i in range(20)} - {"worker3"}
    assert json.loads((tmp_path / "c" / "celery.pidbox.exchange").read_text())


def test_producers_and_consumers_in_separate_processes_deliver_each_message_once(tmp_path):
    (tmp_path / "c").mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def peer(*args):
        return subprocess.Popen([sys.executable, "-c", PEER, *map(str, args)], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    consumers = [peer("consume", tmp_path, 0, "-") for _ in range(2)]
    producers = [peer("produce", tmp_path, 250, f"p{k}") for k in range(3)]
    for process in producers:
        _out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    results = []
    for process in consumers:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        results.append(json.loads(out))
    received = [i for result in results for i in result["got"]]
    assert [e for result in results for e in result["errors"]] == []
    assert sorted(received) == sorted(f"p{k}-{i}" for k in range(3) for i in range(250))
    assert not [p for p in tmp_path.iterdir() if p.name.startswith((".writing-", ".taken-"))]
