"""The one WebSocket at /ws/: subscribe to channels, receive their events.

Client → server: `{"subscribe": "<channel>"}` or `{"unsubscribe": "<channel>"}`.
Server → client: `{"channel", "event", "data"}`, or `{"channel", "error": {"code", "message"}}`.
Every subscription is checked by the permission layer; a channel the caller may not see answers
`not_found`, exactly like one that does not exist. A job subscription first gets the job's current
state, so a client that subscribes late misses nothing. Dataset and dashboard events are checked again
on delivery (they are rare), so someone removed from a workspace stops hearing about it.
"""

import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.http import Http404

from apps.core import permissions
from apps.live import names
from apps.live.auth import Refused, socket_user
from apps.live.jobs import job_data

MAX_MESSAGE_CHARS = 2000
MAX_SUBSCRIPTIONS = 200
NOT_FOUND = {"code": "not_found", "message": "No such channel, or you may not see it."}


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
        await self.accept()

    async def disconnect(self, code):
        for group in getattr(self, "subscriptions", {}).values():
            await self.channel_layer.group_discard(group, self.channel_name)

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
        if group is not None and group not in self.subscriptions.values():
            await self.channel_layer.group_discard(group, self.channel_name)

    async def live_event(self, message: dict):
        """A group message from apps.live.services.publish."""
        channel = message["channel"]
        if channel not in self.subscriptions:
            return
        if channel.startswith(("dataset:", "dashboard:")) and not await database_sync_to_async(_still_visible)(
            self.user, channel
        ):
            await self.unsubscribe(channel)
            return await self.send_json({"channel": channel, "error": NOT_FOUND})
        await self.send_json({"channel": channel, "event": message["event"], "data": message["data"]})

    async def reply_error(self, channel: str | None, code: str, text: str):
        await self.send_json({"channel": channel, "error": {"code": code, "message": text}})

    async def send_json(self, content: dict):
        await self.send(text_data=json.dumps(content, separators=(",", ":")))
