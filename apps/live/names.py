"""The names of live channels, as clients spell them and as the channel layer groups them.

Clients subscribe to `job:<id>`, `dataset:<id>`, `dashboard:<id>` and `notifications`. The server
addresses a person's notifications as `notifications:<user id>`; they see it as `notifications`.
Channel-layer group names allow only letters, digits, `-`, `_` and `.`, hence the translation.
"""

import re

KINDS = ("job", "dataset", "dashboard")
NOTIFICATIONS = "notifications"

_CHANNEL = re.compile(r"^(job|dataset|dashboard|notifications):([0-9A-Za-z-]{1,64})$")


def parse(channel: str) -> tuple[str, str] | None:
    """(kind, id) of a channel name, or None when it is not one."""
    match = _CHANNEL.match(channel) if isinstance(channel, str) else None
    return (match.group(1), match.group(2)) if match else None


def group_name(channel: str) -> str:
    """The channel-layer group of a channel (`job:<id>` → `live.job.<id>`)."""
    parsed = parse(channel)
    if parsed is None:
        raise ValueError(f"Not a live channel: {channel!r}")
    return "live.{}.{}".format(*parsed)


def user_channel(user_or_id) -> str:
    """The server-side address of one person's notifications channel."""
    return f"{NOTIFICATIONS}:{getattr(user_or_id, 'pk', user_or_id)}"


def public_name(channel: str) -> str:
    """The channel name a client sees in messages (a person's notifications are just `notifications`)."""
    return NOTIFICATIONS if channel.startswith(NOTIFICATIONS + ":") else channel
