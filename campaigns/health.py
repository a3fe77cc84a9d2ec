"""Periodic credential checks: a token that stops working is flagged before a post fails."""

from __future__ import annotations

import logging

from django.utils import timezone

from .connectors import CredentialsError, PermanentError, RetryableError
from .delivery import check_channel, flag_channel
from .enums import ChannelHealth
from .models import Channel

log = logging.getLogger(__name__)


def check_all() -> int:
    checked = 0
    for channel in Channel.objects.usable().exclude(credentials=""):
        try:
            account = check_channel(channel)
        except CredentialsError as exc:
            flag_channel(channel, exc.message)
        except (PermanentError, RetryableError) as exc:
            # The network is unreachable or refused something else: note it, don't alarm.
            Channel.objects.filter(pk=channel.pk).update(health_checked_at=timezone.now(),
                                                         health_error=exc.message)
        except Exception:
            log.exception("Checking channel %s failed", channel.pk)
        else:
            Channel.objects.filter(pk=channel.pk).update(
                health=ChannelHealth.OK, health_error="", health_checked_at=timezone.now(),
                handle=account.handle, account_id=account.account_id)
        checked += 1
    return checked
