"""No secret in any log line: bot tokens and OAuth secrets are redacted from every log record.

HTTP clients log request URLs (httpx: ``HTTP Request: POST https://api.telegram.org/bot<token>/…``)
and OAuth libraries log signed headers at DEBUG level. A log-record factory redacts them before
any handler sees the record, whatever handler is configured (console, file, a test's capture),
and httpx's own request lines are lowered to WARNING (they repeat what the delivery log keeps).
"""

from __future__ import annotations

import logging
import re

REDACTED = "[redactado]"

_PATTERNS = [
    # Telegram bot tokens, in Bot API URLs and bare (123456789:AA… — digits, colon, secret).
    (re.compile(r"(?<=/bot)\d+:[A-Za-z0-9_-]+"), REDACTED),
    (re.compile(r"\b\d{3,}:[A-Za-z0-9_-]{20,}"), REDACTED),
    # OAuth 1.0a parameters (X): keys, tokens, signatures, in headers, URLs or bodies.
    (re.compile(r"(oauth_(?:consumer_key|token|signature|nonce|verifier)=)(\"?)[^\"&,\s]+\2",
                re.IGNORECASE), rf"\1\2{REDACTED}\2"),
    # oauthlib at DEBUG: collected parameters as tuples, and the URL-encoded signature base.
    (re.compile(r"(['\"]oauth_(?:consumer_key|token|signature|nonce|verifier)['\"],\s*['\"])"
                r"[^'\"]+", re.IGNORECASE), rf"\1{REDACTED}"),
    (re.compile(r"(oauth_(?:consumer_key|token|signature|nonce|verifier)(?:%3D|%253D))"
                r"[^%&\s]+", re.IGNORECASE), rf"\1{REDACTED}"),
    # oauthlib's description of its client (DEBUG): keys and secrets by name.
    (re.compile(r"\b((?:client|resource_owner)_(?:key|secret)=)(?!\*{4})[^,\s>]+"), rf"\1{REDACTED}"),
    # Authorization headers of any scheme.
    (re.compile(r"((?:authorization|proxy-authorization)['\"]?\s*[:=]\s*['\"]?)"
                r"(?:(bearer|token|basic|oauth)\s+)?[^'\"\n]+", re.IGNORECASE),
     lambda m: f"{m.group(1)}{(m.group(2) + ' ') if m.group(2) else ''}{REDACTED}"),
]


# Every credential this process has decrypted: redacted wherever and however it appears, so a
# library that logs in a shape no pattern above foresaw still leaks nothing.
_KNOWN_SECRETS: set[str] = set()


def remember(*secrets) -> None:
    """Register decrypted credentials (and their URL-encoded forms) for redaction."""
    from urllib.parse import quote, quote_plus

    for secret in secrets:
        if isinstance(secret, str) and len(secret) >= 8:
            _KNOWN_SECRETS.update({secret, quote(secret, safe=""), quote_plus(secret),
                                   quote(quote(secret, safe=""), safe="")})


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    for secret in sorted(_KNOWN_SECRETS, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


def install() -> None:
    """Wrap the log-record factory once per process (called from the app's ``ready``)."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "enlace_redacting", False):
        return

    def factory(*args, **kwargs):
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler, as logging does
            return record
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return record

    factory.enlace_redacting = True
    logging.setLogRecordFactory(factory)
    logging.getLogger("httpx").setLevel(logging.WARNING)
