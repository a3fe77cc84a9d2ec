"""No secret reaches a log line, even with every library logging at DEBUG level."""

import logging
from urllib.parse import quote

import pytest

from campaigns import delivery
from campaigns.channels import probe
from campaigns.connectors import CredentialsError
from campaigns.logsafety import redact

from .factories import TG_TOKEN, make_channel, publish_post


@pytest.fixture
def every_log_line(caplog):
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "telegram", "tweepy", "requests_oauthlib", "oauthlib",
                 "urllib3"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def _lines(caplog) -> str:
    return "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records) + caplog.text


def test_a_real_send_to_telegram_logs_no_bot_token(every_log_line, officer, tg_channel, fake_telegram):
    post = publish_post(officer, [tg_channel])
    assert delivery.perform(post.deliveries.get().pk) == "sent"
    probe(tg_channel)
    lines = _lines(every_log_line)
    assert "/bot" in lines  # the request lines are there, without the token
    assert TG_TOKEN not in lines


REAL_LOOKING_X_KEYS = {"consumer_key": "ck-valid", "consumer_secret": "cs-Zq81LmW0pXr7TtY3",
                      "access_token": "1234-AtVx9QwErTy2UiOp", "access_token_secret": "ats-Kj5Hg3Fd1Sa9"}


def test_a_real_send_to_x_logs_no_oauth_secret(every_log_line, officer, infoem, fake_x):
    channel = make_channel("x", infoem, sealed=REAL_LOOKING_X_KEYS)
    every_log_line.clear()  # the test's own factory logged what it was given
    post = publish_post(officer, [channel])
    assert delivery.perform(post.deliveries.get().pk) == "sent"
    lines = _lines(every_log_line)
    for name, secret in REAL_LOOKING_X_KEYS.items():
        if name == "consumer_key":
            continue  # the fake X only knows "ck-valid", too short a word to be told apart
        # In any shape: oauthlib logs its parameters as tuples and its URL-encoded base string.
        assert secret not in lines and quote(secret, safe="") not in lines


def test_a_refused_token_is_not_logged_either(every_log_line, db, fake_telegram, infoem):
    channel = make_channel("telegram", infoem, sealed={"bot_token": "987654:revoked-secret-XYZ"})
    every_log_line.clear()  # the test's own factory logged what it was given
    with pytest.raises(CredentialsError):
        probe(channel)
    assert "revoked-secret-XYZ" not in _lines(every_log_line)


@pytest.mark.parametrize("line", [
    "HTTP Request: POST https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe",
    'Authorization: OAuth oauth_consumer_key="ck-123", oauth_token="tok-456", oauth_signature="sig"',
    "{'Authorization': 'Bearer AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid'}",
    "token 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw expired",
    "<oauthlib Client client_key=ck-123, client_secret=****, resource_owner_key=tok-456>",
    "Collected params: [('oauth_consumer_key', 'ck-123'), ('oauth_token', 'tok-456')]",
    "Base signing string: POST&https%3A%2F%2Fapi.x.com&oauth_consumer_key%3Dck-123%26"
    "oauth_token%3Dtok-456"])
def test_known_secret_shapes_are_redacted(line):
    clean = redact(line)
    for secret in ("AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", "ck-123", "tok-456",
                   "AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0"):
        assert secret not in clean
    assert "[redactado]" in clean
