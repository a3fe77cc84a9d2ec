"""Fake Telegram Bot API and X API v2 servers on 127.0.0.1, over plain HTTP.

They speak enough of each protocol for the real python-telegram-bot and tweepy clients:
Telegram ``getMe``, ``getChat``, ``sendMessage``, ``sendPhoto``, ``sendMediaGroup``; X
``GET /2/users/me``, ``POST /2/tweets``, ``POST /2/media/upload``, ``GET /2/tweets``,
``GET /2/users/:id/tweets`` (the account's recent posts); a tweet records the post it answers
(``in_reply_to``, a thread's previous part) and a reply to an unknown post is refused; texts
read back carry ``&``, ``<`` and ``>`` as HTML entities, as X's do. Tests,
the benchmark and the demo (``dev.py start``) use them; ``GET /`` lists what was received.

Faults are scripted per method: ``server.script("sendMessage", Fault(status=429,
retry_after=1), times=3)``, or at a steady rate: ``server.every("POST /2/tweets", 7,
Fault(status=429, retry_after=1))``; ``Fault(hang=True)`` holds the request until ``release()``;
``Fault(drop=True)`` reads the request and closes the connection without answering;
``Fault(lose_answer=True)`` does what was asked (the post is out) and then closes it;
``Fault(garble=True)`` does what was asked and answers with a body cut short (not JSON);
``Fault(status=503, do_first=True)`` does what was asked and answers the error all the same;
``Fault(status=502, body=b"<html>…")`` answers that status with a raw body (a proxy's page, an
empty or truncated answer), alone or after doing what was asked (``do_first=True``).
``FakeX.refuse_duplicates = False`` stops X refusing a text the account already published
(X's duplicate check is a heuristic, not a promise the product may lean on).

Run standalone: ``python -m campaigns.devtools.fake_networks --telegram 8781 --x 8782``.
"""

from __future__ import annotations

import argparse
import calendar
import html
import itertools
import json
import re
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


@dataclass
class Fault:
    status: int = 0
    retry_after: int | None = None
    hang: bool = False
    drop: bool = False
    lose_answer: bool = False  # do what was asked, then close the connection without answering
    garble: bool = False  # do what was asked, then answer 200 with a body that is not JSON
    do_first: bool = False  # do what was asked, then answer with ``status`` all the same
    migrate_to: int | None = None  # Telegram: the group became this supergroup (400)
    description: str = ""
    delay: float = 0.0
    daily_reset: int | None = None  # X: the account's 24-hour posting cap, reset in these seconds
    body: bytes | None = None  # answer ``status`` with exactly these bytes (not the network's JSON)


def _parse_body(headers, body: bytes) -> tuple[dict, dict]:
    """Form, JSON or multipart bodies → (fields, files)."""
    ctype = headers.get("Content-Type", "")
    if not body:
        return {}, {}
    if ctype.startswith("application/json"):
        return json.loads(body), {}
    if ctype.startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + body)
        fields, files = {}, {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            if part.get_filename() is not None:
                files[name] = payload
            else:
                fields[name] = payload.decode("utf-8")
        return fields, files
    return {k: v[0] for k, v in parse_qs(body.decode("utf-8"), keep_blank_values=True).items()}, {}


class FakeServer:
    """Common machinery: a threaded HTTP server, recorded calls and scripted faults."""

    name = "fake"

    def __init__(self, port: int = 0):
        self.lock = threading.Lock()
        self.calls: list[tuple[float, str]] = []
        self._faults: dict[str, deque] = defaultdict(deque)
        self._every: dict[str, tuple[int, Fault]] = {}
        self._seen: dict[str, int] = defaultdict(int)
        self._gate = threading.Event()
        self._ids = itertools.count(1000)
        self.hanging = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                server.handle(self, body)

            do_GET = do_POST = _handle

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.release()
        self.httpd.shutdown()
        self.httpd.server_close()

    def script(self, method: str, fault: Fault, times: int = 1) -> None:
        with self.lock:
            self._faults[method].extend([fault] * times)

    def unscript(self, method: str) -> None:
        """Drop the faults still scripted for ``method``: it answers normally again."""
        with self.lock:
            self._faults[method].clear()

    def every(self, method: str, n: int, fault: Fault) -> None:
        """Answer every n-th call of ``method`` with ``fault`` (a steady rate of faults)."""
        with self.lock:
            self._every[method] = (n, fault)

    def release(self) -> None:
        self._gate.set()

    def next_id(self) -> int:
        with self.lock:
            return next(self._ids)

    def _take_fault(self, method: str) -> Fault | None:
        with self.lock:
            queue = self._faults.get(method)
            if queue:
                return queue.popleft()
            if method in self._every:
                self._seen[method] += 1
                n, fault = self._every[method]
                if self._seen[method] % n == 0:
                    return fault
            return None

    def apply_fault(self, handler, method: str) -> bool:
        """Returns True if a fault answered (or swallowed) the request."""
        fault = self._take_fault(method)
        if fault is None:
            return False
        if fault.delay:
            time.sleep(fault.delay)
        if fault.hang:
            self.hanging.set()
            self._gate.wait(timeout=120)
            handler.close_connection = True
            return True
        if fault.lose_answer:
            handler.lose_answer = True
            return False
        if fault.garble:
            handler.garble = True
            return False
        if fault.do_first:
            handler.answer_instead = fault
            return False
        if fault.drop:
            handler.close_connection = True
            handler.connection.close()
            return True
        if fault.status:
            self.answer_fault(handler, fault)
            return True
        return False

    def answer_fault(self, handler, fault: Fault) -> None:
        if fault.body is None:
            return self.answer_error(handler, fault)
        handler.send_response(fault.status)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(fault.body)))
        handler.end_headers()
        handler.wfile.write(fault.body)
        return None

    def reply(self, handler, status: int, payload: dict, headers: dict | None = None) -> None:
        fault = getattr(handler, "answer_instead", None)
        if fault is not None:  # what was asked is done; the answer is an error all the same
            handler.answer_instead = None
            return self.answer_fault(handler, fault)
        if getattr(handler, "lose_answer", False):
            handler.close_connection = True
            handler.connection.close()
            return
        data = json.dumps(payload).encode()
        if getattr(handler, "garble", False):  # the answer cut short: not JSON
            data = data[:len(data) // 2]
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.end_headers()
        handler.wfile.write(data)

    def answer_error(self, handler, fault: Fault) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def record(self, method: str) -> None:
        with self.lock:
            self.calls.append((time.time(), method))

    def count(self, method: str) -> int:
        with self.lock:
            return sum(1 for _, m in self.calls if m == method)

    def html_index(self, handler, rows: list[str]) -> None:
        page = ('<!doctype html><html lang="es"><meta charset=utf-8>'
                '<meta name="viewport" content="width=device-width, initial-scale=1">'
                "<style>pre{white-space:pre-wrap;overflow-wrap:anywhere}</style><title>" + self.name
                + "</title><h1>" + self.name + " (simulado)</h1><ol>"
                + "".join(f"<li><pre>{html.escape(r)}</pre></li>" for r in rows) + "</ol>").encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(page)))
        handler.end_headers()
        handler.wfile.write(page)


def as_read(message: dict) -> str:
    """A Telegram message as its reader sees it: with parse_mode HTML the tags format the
    text and the entities («&amp;» in a link) are characters; otherwise the text as sent."""
    if message.get("parse_mode", "").upper() != "HTML":
        return message["text"]
    return html.unescape(re.sub(r"<[^>]+>", "", message["text"]))


class FakeTelegram(FakeServer):
    name = "Telegram"

    def __init__(self, port: int = 0, tokens=("123:valid",)):
        super().__init__(port)
        self.tokens = set(tokens)
        self.messages: list[dict] = []

    def answer_error(self, handler, fault: Fault) -> None:
        payload = {"ok": False, "error_code": fault.status,
                   "description": fault.description or {
                       429: "Too Many Requests: retry after", 400: "Bad Request: chat not found",
                       401: "Unauthorized", 403: "Forbidden: bot was kicked from the channel chat",
                   }.get(fault.status, "Internal Server Error")}
        if fault.retry_after is not None:
            payload["parameters"] = {"retry_after": fault.retry_after}
            payload["description"] = f"Too Many Requests: retry after {fault.retry_after}"
        if fault.migrate_to is not None:
            payload["parameters"] = {"migrate_to_chat_id": fault.migrate_to}
            payload["description"] = "Bad Request: group chat was upgraded to a supergroup chat"
        self.reply(handler, fault.status, payload)

    def handle(self, handler, body: bytes) -> None:
        path = urlparse(handler.path).path
        if path == "/":
            with self.lock:
                rows = [f"{m['chat_id']} · {m['method']}\n{as_read(m)}" for m in reversed(self.messages)]
            return self.html_index(handler, rows)
        parts = path.strip("/").split("/")
        if len(parts) != 2 or not parts[0].startswith("bot"):
            return self.reply(handler, 404, {"ok": False, "error_code": 404, "description": "Not Found"})
        token, method = parts[0][3:], parts[1]
        self.record(method)
        if token not in self.tokens:
            return self.reply(handler, 401, {"ok": False, "error_code": 401,
                                             "description": "Unauthorized"})
        if self.apply_fault(handler, method):
            return None
        fields, files = _parse_body(handler.headers, body)
        bot_id = int(token.split(":")[0])
        if method == "getMe":
            return self.reply(handler, 200, {"ok": True, "result": {
                "id": bot_id, "is_bot": True, "first_name": "Bot SNT", "username": "snt_bot"}})
        chat_id = str(fields.get("chat_id", ""))
        chat = {"id": -1001234567890, "type": "channel", "title": "Canal de prueba"}
        if chat_id.startswith("@"):
            chat["username"] = chat_id[1:]
        if method == "getChat":
            return self.reply(handler, 200, {"ok": True, "result": {
                **chat, "accent_color_id": 0, "max_reaction_count": 11}})
        if method in ("sendMessage", "sendPhoto", "sendMediaGroup"):
            if method == "sendMediaGroup":
                media = json.loads(fields.get("media", "[]"))
                text = next((m.get("caption") for m in media if m.get("caption")), "") or ""
                photos = len(media)
            else:
                text = fields.get("text") or fields.get("caption") or ""
                photos = 1 if method == "sendPhoto" else 0
            limit = 1024 if photos else 4096
            if len(text) > limit:
                return self.answer_error(handler, Fault(400, description="Bad Request: message is too long"))
            message_id = self.next_id()
            with self.lock:
                self.messages.append({"chat_id": chat_id, "method": method, "text": text,
                                      "parse_mode": fields.get("parse_mode", ""), "photos": photos,
                                      "files": len(files), "message_id": message_id, "at": time.time()})
            message = {"message_id": message_id, "date": int(time.time()), "chat": chat}
            if method == "sendMediaGroup":
                return self.reply(handler, 200, {"ok": True, "result": [
                    {**message, "message_id": message_id + i} for i in range(photos)]})
            return self.reply(handler, 200, {"ok": True, "result": {**message, "text": text}})
        return self.reply(handler, 404, {"ok": False, "error_code": 404, "description": "Not Found"})


class FakeX(FakeServer):
    name = "X"

    def __init__(self, port: int = 0, consumer_keys=("ck-valid",)):
        super().__init__(port)
        self.consumer_keys = set(consumer_keys)
        self.refuse_duplicates = True
        self.tweets: list[dict] = []
        self.media: dict[str, int] = {}
        self.metrics = {"like_count": 3, "retweet_count": 2, "reply_count": 1, "quote_count": 0,
                        "impression_count": 120}

    def answer_error(self, handler, fault: Fault) -> None:
        headers = {}
        if fault.status == 429:
            reset = int(time.time() + (fault.retry_after if fault.retry_after is not None else 1))
            headers = {"x-rate-limit-reset": str(reset), "x-rate-limit-remaining": "0"}
            if fault.daily_reset is not None:  # the 15-minute window has room; the day has not
                headers = {"x-rate-limit-reset": str(reset), "x-rate-limit-remaining": "99",
                           "x-user-limit-24hour-limit": "17", "x-user-limit-24hour-remaining": "0",
                           "x-user-limit-24hour-reset": str(int(time.time() + fault.daily_reset))}
        payload = {"title": {429: "Too Many Requests", 401: "Unauthorized", 403: "Forbidden"}.get(
            fault.status, "Service Unavailable"), "status": fault.status,
            "detail": fault.description or "Scripted fault", "type": "about:blank"}
        if fault.status == 400:  # X's invalid-request problem: the reasons come as "errors"
            payload = {"title": "Invalid Request",
                       "type": "https://api.twitter.com/2/problems/invalid-request",
                       "detail": "One or more parameters to your request was invalid.",
                       "errors": [{"parameters": {}, "message": fault.description or "Invalid request"}]}
        self.reply(handler, fault.status, payload, headers)

    def _consumer_key(self, handler) -> str:
        auth = handler.headers.get("Authorization", "")
        if not auth.startswith("OAuth "):
            return ""
        for part in auth[6:].split(","):
            key, _, value = part.strip().partition("=")
            if key == "oauth_consumer_key":
                return value.strip('"')
        return ""

    def handle(self, handler, body: bytes) -> None:
        url = urlparse(handler.path)
        if url.path == "/":
            with self.lock:
                rows = [f"{t['id']} · {t['account']}\n{t['text']}" for t in reversed(self.tweets)]
            return self.html_index(handler, rows)
        method = f"{handler.command} {url.path}"
        self.record(method)
        if self._consumer_key(handler) not in self.consumer_keys:
            return self.answer_error(handler, Fault(401, description="Unauthorized"))
        if self.apply_fault(handler, method):
            return None
        if method == "GET /2/users/me":
            return self.reply(handler, 200, {"data": {"id": "2244994945", "name": "SNT",
                                                      "username": "SNT_mx"}})
        if method == "POST /2/media/upload":
            fields, files = _parse_body(handler.headers, body)
            if "media" not in files:
                return self.answer_error(handler, Fault(400, description="media is required"))
            media_id = str(self.next_id())
            with self.lock:
                self.media[media_id] = len(files["media"])
            return self.reply(handler, 200, {"data": {"id": media_id, "media_key": f"3_{media_id}",
                                                      "size": len(files["media"])}})
        if method == "POST /2/tweets":
            payload = json.loads(body or b"{}")
            text = payload.get("text", "")
            account = self._consumer_key(handler)
            with self.lock:
                duplicate = any(t["text"] == text and t["account"] == account for t in self.tweets)
            if duplicate and self.refuse_duplicates:
                return self.answer_error(handler, Fault(403, description=(
                    "You are not allowed to create a Tweet with duplicate content.")))
            media_ids = (payload.get("media") or {}).get("media_ids") or []
            unknown = [m for m in media_ids if m not in self.media]
            if unknown:
                return self.answer_error(handler, Fault(400, description="unknown media id"))
            in_reply_to = str((payload.get("reply") or {}).get("in_reply_to_tweet_id") or "")
            with self.lock:
                known = {t["id"] for t in self.tweets}
            if in_reply_to and in_reply_to not in known:
                return self.answer_error(handler, Fault(400, description=(
                    "The Tweet you are replying to does not exist.")))
            tweet_id = str(self.next_id())
            with self.lock:
                self.tweets.append({"id": tweet_id, "text": text, "media_ids": media_ids,
                                    "account": account, "at": time.time(),
                                    "in_reply_to": in_reply_to or None})
            return self.reply(handler, 201, {"data": {"id": tweet_id, "text": text,
                                                      "edit_history_tweet_ids": [tweet_id]}})
        if url.path.startswith("/2/users/") and url.path.endswith("/tweets") and handler.command == "GET":
            # The account's own timeline, newest first (what a client sees of its recent posts).
            # Pages of at most ``max_results`` (100), as X gives them: ``meta.next_token`` while
            # there are older posts since ``start_time``, read back as ``pagination_token``.
            query = parse_qs(url.query)
            limit = max(5, min(100, int(query.get("max_results", ["10"])[0])))
            start = query.get("start_time", [""])[0]
            since = calendar.timegm(time.strptime(start[:19], "%Y-%m-%dT%H:%M:%S")) if start else 0
            offset = int(query.get("pagination_token", ["0"])[0] or 0)
            account = self._consumer_key(handler)
            with self.lock:
                own = [t for t in reversed(self.tweets) if t["account"] == account and t["at"] >= since]
            # X gives a post's text back with &, < and > as HTML entities.
            data = [{"id": t["id"], "text": html.escape(t["text"], quote=False),
                     "edit_history_tweet_ids": [t["id"]],
                     "created_at": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(t["at"]))}
                    for t in own[offset:offset + limit]]
            meta = {"result_count": len(data)}
            if data:
                meta.update(newest_id=data[0]["id"], oldest_id=data[-1]["id"])
            if offset + limit < len(own):
                meta["next_token"] = str(offset + limit)
            return self.reply(handler, 200, {"data": data, "meta": meta} if data else {"meta": meta})
        if method == "GET /2/tweets":
            ids = parse_qs(url.query).get("ids", [""])[0].split(",")
            with self.lock:
                known = {t["id"]: t for t in self.tweets}
            data = [{"id": i, "text": html.escape(known[i]["text"], quote=False),
                     "edit_history_tweet_ids": [i],
                     "public_metrics": dict(self.metrics)} for i in ids if i in known]
            return self.reply(handler, 200, {"data": data})
        return self.answer_error(handler, Fault(404, description="Not Found"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--telegram", type=int, default=8781)
    parser.add_argument("--x", type=int, default=8782)
    args = parser.parse_args()
    telegram = FakeTelegram(args.telegram, tokens=("123:valid", "4242:demo")).start()
    x = FakeX(args.x, consumer_keys=("ck-valid", "ck-demo")).start()
    print(f"Telegram simulado: {telegram.url}/  ·  X simulado: {x.url}/", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
