"""One interface for every social network a channel can live on.

A connector checks credentials, publishes a text with images and reads reach metrics. It
raises only the errors below, already translated into what the delivery engine must do.
Adding a network (Mastodon, Bluesky, Facebook Pages) means writing one connector and
registering it in ``CONNECTORS``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Account:
    handle: str
    account_id: str


@dataclass(frozen=True)
class Published:
    external_id: str
    external_url: str


@dataclass(frozen=True)
class Image:
    name: str
    mime: str
    data: bytes


@dataclass
class Metrics:
    likes: int = 0
    reposts: int = 0
    replies: int = 0
    impressions: int = 0


@dataclass(frozen=True)
class CredentialField:
    """A secret the network needs; the admin form and the API ask for exactly these."""

    name: str
    label: str


class ConnectorError(Exception):
    """Base: ``message`` is for people (Spanish), ``detail`` is the network's own words."""

    def __init__(self, message: str, detail: str = ""):
        super().__init__(message)
        self.message = message
        self.detail = detail


class PermanentError(ConnectorError):
    """The network refused the request; sending it again would fail the same way."""


class CredentialsError(PermanentError):
    """The channel's credentials are wrong, revoked or expired, or its chat moved: every post
    to it fails until a person updates the channel, which is flagged."""


class WriteRefusedError(CredentialsError):
    """The account answers, but its token may not post: the app's permissions exclude writing.
    A token keeps the permissions it was issued with, so only new credentials fix it; a check
    that only reads (who am I?) passes all the same and must not clear the flag."""


class DuplicateError(PermanentError):
    """The network refused the text because the account already published the same one.

    That copy may be this very delivery's, made by an earlier attempt whose answer said
    otherwise (a server error after the post was made): the engine looks for it first."""


class RetryableError(ConnectorError):
    """Nothing was published (or, ``in_doubt``, the network can be asked whether it was) and
    trying later may work (rate limit, server error, no route)."""

    def __init__(self, message: str, detail: str = "", retry_after: float | None = None,
                 rate_limited: bool = False, reason: str = "", in_doubt: bool = False):
        super().__init__(message, detail)
        self.retry_after = retry_after
        self.rate_limited = rate_limited
        # The network answered an error that it may give after doing the work (a 5xx): on a
        # network whose posts can be read back, the retry looks first (``can_look_up``).
        self.in_doubt = in_doubt
        # What went wrong without the promise to retry, for when the attempts run out.
        self.reason = reason or message


class MaybeSentError(ConnectorError):
    """The request left and the answer was lost: the post may or may not be out."""


class Aborted(Exception):
    """The delivery's claim was lost before the request left; nothing was sent."""


@dataclass
class Connector:
    kind: str
    credential_fields: list[CredentialField] = field(default_factory=list)
    credentials_heading: str = ""
    #: Hosts of the network's public post links (a person confirming a post pastes one).
    post_hosts: tuple[str, ...] = ()
    needs_chat_id: bool = False
    supports_metrics: bool = False
    # Whether the account's recent posts can be read back, to tell whether a post whose
    # answer was lost is out (X can; the Telegram Bot API cannot read a channel's history).
    can_look_up: bool = False

    def check(self, channel, credentials: dict) -> Account:  # pragma: no cover - interface
        raise NotImplementedError

    def publish(self, channel, text: str, images: list[Image], before_send,
                reply_to: str | None = None) -> Published:
        """Publish ``text``; ``reply_to``: the external id of the post it answers (a thread's
        previous part), on networks with threads."""
        raise NotImplementedError  # pragma: no cover - interface

    def metrics(self, channel, external_ids: list[str]) -> dict[str, Metrics]:
        return {}

    def find_published(self, channel, text: str, since) -> Published | None:
        """The account's post with this text published after ``since``, if any (can_look_up)."""
        raise NotImplementedError  # pragma: no cover - interface


def same_text(a: str, b: str) -> bool:
    """Equal once links (which networks shorten) and runs of white space are set aside."""
    import re

    def norm(value: str) -> str:
        return " ".join(re.sub(r"https?://\S+", "", value or "").split())

    return norm(a) == norm(b)


def all_connectors() -> list[Connector]:
    """Every network Enlace can publish to, in the order the admin shows them."""
    from . import telegram, x

    return [telegram.CONNECTOR, x.CONNECTOR]


def get_connector(kind: str) -> Connector | None:
    return {connector.kind: connector for connector in all_connectors()}.get(kind)
