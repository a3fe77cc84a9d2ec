"""The two channels the benchmarks post to: a Telegram and an X channel of an institution,
healthy, with credentials the fake servers accept (not run by dev.py bench)."""


def fake_network_channels(institution, name: str) -> list:
    """Create and return ``[telegram, x]`` channels named ``"<name> <kind>"``."""
    from campaigns.enums import ChannelHealth
    from campaigns.models import Channel

    channels = []
    for kind, credentials, chat in [
        ("telegram", {"bot_token": "123:valid"}, f"@{name}"),
        ("x", {"consumer_key": "ck-valid", "consumer_secret": "s", "access_token": "a",
               "access_token_secret": "b"}, ""),
    ]:
        channel = Channel(name=f"{name} {kind}", kind=kind, institution=institution,
                          chat_id=chat, handle=f"@{name}", health=ChannelHealth.OK)
        channel.set_credentials(credentials)
        channel.save()
        channels.append(channel)
    return channels
