"""Publishing live events and notifying people.

`publish` hands an event to the channel-layer group of a channel; every socket subscribed to it gets
`{"channel", "event", "data"}`. Inside a transaction it waits for the commit, so a client that reacts by
fetching never sees the state before it. Callers are often Celery workers (sync code); a Redis hiccup
is logged, never raised: a live update is a courtesy, the database stays the truth.
"""

import asyncio
import logging
import os
import threading
from collections.abc import Iterable

from channels.layers import get_channel_layer
from django.db import transaction

from apps.live import names
from apps.live.models import Notification

logger = logging.getLogger(__name__)

# The consumer method that receives group messages (see consumers.LiveConsumer.live_event).
MESSAGE_TYPE = "live.event"
SEND_TIMEOUT = 5.0


class _PublishLoop:
    """One event loop per process, on a daemon thread, that every sync caller hands its sends to: the
    Redis connection is reused across sends, and callers that already run an event loop (async views,
    the browser tests' thread) can publish too. A forked child (a Celery worker) starts its own."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pid: int | None = None
        self.loop: asyncio.AbstractEventLoop | None = None

    def get(self) -> asyncio.AbstractEventLoop:
        with self.lock:
            if self.pid != os.getpid() or self.loop is None:
                self.loop = asyncio.new_event_loop()
                threading.Thread(target=self.loop.run_forever, name="live-publish", daemon=True).start()
                self.pid = os.getpid()
            return self.loop


_publish_loop = _PublishLoop()


def publish(channel: str, event: str, data: dict) -> None:
    """Send `event` with `data` to everyone subscribed to `channel`, after the current transaction commits.

    `channel` is `job:<id>`, `dataset:<id>`, `dashboard:<id>`, or `notifications:<user id>`
    (see `names.user_channel`). Raises ValueError for any other name.
    """
    group = names.group_name(channel)
    message = {"type": MESSAGE_TYPE, "channel": names.public_name(channel), "event": event, "data": data}
    transaction.on_commit(lambda: send_now(group, message))


def send_now(group: str, message: dict) -> None:
    """Hand one message to the channel layer at once (sync callers; no transaction bookkeeping)."""
    layer = get_channel_layer()
    if layer is None:
        return
    future = asyncio.run_coroutine_threadsafe(layer.group_send(group, message), _publish_loop.get())
    try:
        future.result(timeout=SEND_TIMEOUT)
    except Exception:  # Redis down or slow: the page falls back to what it fetches
        future.cancel()
        logger.warning("Could not publish %s on %s", message.get("event"), group, exc_info=True)


def notification_data(notification: Notification) -> dict:
    """A notification as the API and the `notification` event show it."""
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "message": notification.message,
        "url": notification.url,
        "created_at": notification.created_at.isoformat().replace("+00:00", "Z"),
        "read": notification.read,
    }


def notify(*, users: Iterable, kind: str, message: str, url: str = "") -> None:
    """Tell each of `users` (User objects or ids; repeats and None are ignored) something:
    one Notification row each, and a `notification` event on their `notifications` channel."""
    user_ids = list(dict.fromkeys(getattr(u, "pk", u) for u in users if u is not None))
    if not user_ids:
        return
    rows = Notification.objects.bulk_create(
        Notification(user_id=user_id, kind=kind[:40], message=message[:500], url=url[:500]) for user_id in user_ids
    )
    for row in rows:
        publish(names.user_channel(row.user_id), "notification", notification_data(row))


def notifications_mark_read(*, user, ids: list[int] | None = None, everything: bool = False) -> int:
    """Mark the user's notifications read: those with `ids` (others' ids are ignored), or all of them.
    Returns how many changed."""
    from django.utils import timezone

    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if not everything:
        unread = unread.filter(pk__in=ids or [])
    return unread.update(read_at=timezone.now())
