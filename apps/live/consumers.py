"""The one WebSocket at /ws/: subscribe to channels, receive their events.

Client → server: `{"subscribe": "<channel>"}` or `{"unsubscribe": "<channel>"}`.
Server → client: `{"channel", "event", "data"}`, or `{"channel", "error": {"code", "message"}}`.
Every subscription is checked by the permission layer; a channel the caller may not see answers
`not_found`, exactly like one that does not exist. A job subscription first gets the job's current
state, so a client that subscribes late misses nothing.

Rights are not settled at the handshake. Every LIVE_CREDENTIAL_CHECK_SECONDS the socket asks again whether
the token or session that opened it still stands, and closes with CLOSE_SIGNED_OUT when it does not (a
revoked or expired token, a sign-out, a changed password, a disabled account). Every event, of every kind,
is checked against the subscriber's current rights before it is sent; the answer is kept for
LIVE_RIGHTS_CACHE_SECONDS per socket and channel, so a busy job costs one check a second, not one an
event. Someone removed from a workspace gets `not_found` on its channels and nothing more from them.
"""

import asyncio
import contextlib
import json
import logging
import time

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.http import Http404

from apps.core import permissions
from apps.live import names
from apps.live.auth import Refused, socket_user, still_signed_in
from apps.live.jobs import job_data

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 2000
MAX_SUBSCRIPTIONS = 200
NOT_FOUND = {"code": "not_found", "message": "No such channel, or you may not see it."}
# The WebSocket close code when the credential that opened the socket no longer stands (4000-4999 are
# the application's own; 4401 reads as HTTP's 401).
CLOSE_SIGNED_OUT = 4401
SIGNED_OUT = {
    "code": "signed_out",
    "message": "The token or session this socket was opened with is revoked, expired or signed out; "
    "connect again with a valid one.",
}


def _visible(user, kind: str, object_id: str):
    """The object behind a channel if `user` may see it, else None. Sync: it reads the database."""
    permissions.forget_roles(user)
    if kind == "job":
        from apps.jobs.selectors import jobs_for

        return permissions.first_or_none(jobs_for(user), {"pk": object_id})
    from apps.dashboards.models import Dashboard
    from apps.datasets.models import Dataset

    model = {"dataset": Dataset, "dashboard": Dashboard}[kind]
    try:
        return permissions.object_for(model.objects.all(), user, permissions.VIEW, pk=object_id)
    except Http404:
        return None


def _subscription(user, channel: str):
    """(group name, job or None) of a channel `user` may subscribe to, or None."""
    if channel == names.NOTIFICATIONS:
        return (names.group_name(names.user_channel(user)), None) if user.is_authenticated else None
    parsed = names.parse(channel)
    if parsed is None or parsed[0] not in names.KINDS:  # `notifications:<id>` is the server's own name
        return None
    found = _visible(user, *parsed)
    if found is None:
        return None
    return names.group_name(channel), (job_data(found) if parsed[0] == "job" else None)


def _still_visible(user, channel: str) -> bool:
    if channel == names.NOTIFICATIONS:  # one's own: as long as one is signed in, checked apart
        return user.is_authenticated
    parsed = names.parse(channel)
    return parsed is not None and parsed[0] in names.KINDS and _visible(user, *parsed) is not None


class LiveConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        try:
            self.user = await database_sync_to_async(socket_user)(self.scope)
        except Refused:
            await self.close()  # before accept: the handshake answers 403
            return
        self.subscriptions: dict[str, str] = {}  # channel as the client names it → layer group
        self.rights: dict[str, tuple[bool, float]] = {}  # channel → (visible, checked at), see `may_see`
        self.credential_checked = time.monotonic()
        self.signed_out = False
        await self.accept()
        self.watch = asyncio.ensure_future(self.watch_credential())

    async def disconnect(self, code):
        if watch := getattr(self, "watch", None):
            watch.cancel()
        for group in getattr(self, "subscriptions", {}).values():
            await self.channel_layer.group_discard(group, self.channel_name)

    async def watch_credential(self):
        """Ask every LIVE_CREDENTIAL_CHECK_SECONDS whether the socket's credential still stands."""
        while not self.signed_out:
            await asyncio.sleep(settings.LIVE_CREDENTIAL_CHECK_SECONDS)
            await self.signed_in(max_age=0)

    async def signed_in(self, *, max_age: float) -> bool:
        """Whether the credential stands, asked again when the last answer is older than `max_age`
        seconds; closes the socket when it does not."""
        if self.signed_out:
            return False
        if time.monotonic() - self.credential_checked < max_age:
            return True
        try:
            standing = await database_sync_to_async(still_signed_in)(self.scope, self.user)
        except Exception:  # the database hiccupped: keep the last answer, ask again next time
            logger.warning("Could not re-check a live socket's credential", exc_info=True)
            return True
        self.credential_checked = time.monotonic()
        if not standing and not self.signed_out:
            self.signed_out = True
            self.rights.clear()
            with contextlib.suppress(Exception):
                await self.send_json({"channel": None, "error": SIGNED_OUT})
            await self.close(code=CLOSE_SIGNED_OUT)
        return standing

    async def may_see(self, channel: str) -> bool:
        """The subscriber's current right to `channel`, asked at most every LIVE_RIGHTS_CACHE_SECONDS."""
        max_age = settings.LIVE_RIGHTS_CACHE_SECONDS
        if not await self.signed_in(max_age=max_age):
            return False
        visible, checked = self.rights.get(channel, (False, float("-inf")))
        if time.monotonic() - checked >= max_age:
            visible = await database_sync_to_async(_still_visible)(self.user, channel)
            self.rights[channel] = (visible, time.monotonic())
        return visible

    async def receive(self, text_data=None, bytes_data=None):
        if text_data is None or len(text_data) > MAX_MESSAGE_CHARS:
            return await self.reply_error(None, "bad_request", "Send a short JSON text message.")
        try:
            message = json.loads(text_data)
        except ValueError:
            return await self.reply_error(None, "bad_request", "The message is not JSON.")
        if not isinstance(message, dict) or len(message) != 1 or not ({"subscribe", "unsubscribe"} & message.keys()):
            return await self.reply_error(
                None, "bad_request", 'Send {"subscribe": "<channel>"} or {"unsubscribe": "<channel>"}.'
            )
        action, channel = next(iter(message.items()))
        if not isinstance(channel, str):
            return await self.reply_error(None, "bad_request", "The channel is a string, like job:<id>.")
        if not await self.signed_in(max_age=settings.LIVE_RIGHTS_CACHE_SECONDS):
            return
        if action == "subscribe":
            await self.subscribe(channel)
        else:
            await self.unsubscribe(channel)

    async def subscribe(self, channel: str):
        if channel not in self.subscriptions and len(self.subscriptions) >= MAX_SUBSCRIPTIONS:
            return await self.reply_error(
                channel, "too_many_subscriptions", f"One socket follows at most {MAX_SUBSCRIPTIONS} channels."
            )
        found = await database_sync_to_async(_subscription)(self.user, channel)
        if found is None:
            return await self.send_json({"channel": channel, "error": NOT_FOUND})
        group, job = found
        await self.channel_layer.group_add(group, self.channel_name)
        self.subscriptions[channel] = group
        if job is not None:
            event = "finished" if job["status"] in ("succeeded", "failed") else "progress"
            await self.send_json({"channel": channel, "event": event, "data": job})

    async def unsubscribe(self, channel: str):
        group = self.subscriptions.pop(channel, None)
        self.rights.pop(channel, None)
        if group is not None and group not in self.subscriptions.values():
            await self.channel_layer.group_discard(group, self.channel_name)

    async def live_event(self, message: dict):
        """A group message from apps.live.services.publish."""
        channel = message["channel"]
        if channel not in self.subscriptions or self.signed_out:
            return
        if not await self.may_see(channel):
            if self.signed_out:
                return
            await self.unsubscribe(channel)
            return await self.send_json({"channel": channel, "error": NOT_FOUND})
        await self.send_json({"channel": channel, "event": message["event"], "data": message["data"]})

    async def reply_error(self, channel: str | None, code: str, text: str):
        await self.send_json({"channel": channel, "error": {"code": code, "message": text}})

    async def send_json(self, content: dict):
        await self.send(text_data=json.dumps(content, separators=(",", ":")))
