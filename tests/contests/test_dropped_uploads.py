"""A connection that drops in the middle of an upload leaves nothing behind, against a real
HTTP server."""

import http.client
import socket
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from contests.domain import entries as domain
from contests.models import EntryFile
from tests.contests.conftest import make_entrant
from tests.contests.factories import CallFactory
from tests.contests.files_factory import mp3_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def multipart(token: str, name: str, content: bytes) -> tuple[bytes, bytes, str]:
    boundary = uuid.uuid4().hex
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\"\r\n\r\n{token}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    return head + content, tail, f"multipart/form-data; boundary={boundary}"


def test_a_dropped_upload_stores_nothing_and_a_complete_one_is_kept(live_server, reference_data, site):
    call = CallFactory()
    entrant = make_entrant("lucia")
    entry, _ = domain.create_draft(entrant, call.categories.get(code="SPOT"), title="Spot")
    client = Client()
    client.force_login(entrant)
    session = client.cookies["sessionid"].value
    token = _get_new_csrf_string()
    cookies = f"sessionid={session}; csrftoken={token}"
    path = f"/concursos/participacion/{entry.public_id}/archivo/audio/"
    host, port = urlparse(live_server.url).hostname, urlparse(live_server.url).port
    audio = mp3_bytes(20)
    body, tail, content_type = multipart(token, "spot.mp3", audio)
    temp_dir = Path(settings.FILE_UPLOAD_TEMP_DIR)
    before = set(temp_dir.iterdir())

    # Headers promise the whole body; a third of it arrives, then the connection drops.
    with socket.create_connection((host, port)) as sock:
        sock.sendall((f"POST {path} HTTP/1.1\r\nHost: {host}\r\nCookie: {cookies}\r\n"
                      f"Content-Type: {content_type}\r\nContent-Length: {len(body) + len(tail)}\r\n"
                      "Accept: application/json\r\n\r\n").encode())
        sock.sendall(body[: len(body) // 3])
    time.sleep(1)  # the server reads what arrived, meets the end and gives up
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and set(temp_dir.iterdir()) != before:
        time.sleep(0.1)
    assert not EntryFile.objects.exists()
    assert set(temp_dir.iterdir()) == before, "no temporary upload is left behind"
    private = Path(settings.STORAGES["contests"]["OPTIONS"]["location"])
    stored = [p for p in private.rglob("*") if p.is_file()] if private.exists() else []
    assert stored == []

    connection = http.client.HTTPConnection(host, port, timeout=30)
    connection.request("POST", path, body=body + tail, headers={
        "Cookie": cookies, "Content-Type": content_type, "Accept": "application/json"})
    response = connection.getresponse()
    assert response.status == 200, response.read()
    response.read()
    connection.close()
    assert EntryFile.objects.get().size == len(audio)
