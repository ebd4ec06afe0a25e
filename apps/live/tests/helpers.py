"""Driving the live socket in tests: Channels' WebsocketCommunicator on project.asgi's application."""

import itertools

from channels.testing.websocket import WebsocketCommunicator
from django.test import Client

from project.asgi import application

_barriers = itertools.count()


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def headers(*, cookie: str | None = None, origin: str | None = None, host: str = "localhost:8000", bearer=None):
    found = [(b"host", host.encode())]
    if cookie is not None:
        found.append((b"cookie", f"sessionid={cookie}".encode()))
    if origin is not None:
        found.append((b"origin", origin.encode()))
    if bearer is not None:
        found.append((b"authorization", f"Bearer {bearer}".encode()))
    return found


class Socket:
    """One WebSocket client, used from sync test code. All sockets of a test share one event loop:
    a channel layer receives on one loop at a time."""

    def __init__(self, loop, path: str = "/ws/", headers=()):
        self.loop = loop
        self.communicator = WebsocketCommunicator(application, path, headers=list(headers))
        self.connected, self.close_code = self.run(self.communicator.connect(timeout=10))

    def run(self, coroutine):
        # The consumer's database calls run on asgiref's worker thread, with its own connection:
        # tests using Socket need committed data (transactional_db).
        return self.loop.run_until_complete(coroutine)

    def send(self, message: dict) -> None:
        self.run(self.communicator.send_json_to(message))

    def receive(self, timeout: float = 10) -> dict:
        return self.run(self.communicator.receive_json_from(timeout=timeout))

    def subscribe(self, channel: str) -> list[dict]:
        """Subscribe and wait until the server has handled it; returns what it answered meanwhile."""
        self.send({"subscribe": channel})
        return self.sync()

    def sync(self) -> list[dict]:
        """Messages up to a barrier: the server answers in order, so once an unknown channel's error
        arrives, everything sent before it has been handled."""
        barrier = f"barrier:{next(_barriers)}"
        self.send({"subscribe": barrier})
        seen = []
        while (message := self.receive()).get("channel") != barrier:
            seen.append(message)
        return seen

    def nothing(self, timeout: float = 0.5) -> bool:
        return self.run(self.communicator.receive_nothing(timeout=timeout))

    def close(self) -> None:
        self.run(self.communicator.disconnect())
