"""Attacks on the live server: the ASGI stack `make run` serves (HTTP and /ws/), on loopback.

Each module names the rule of DESIGN.md's "Security rules that every feature keeps" that it holds, and
every attack is bounded in requests and time. The server runs in this process (tests/e2e/asgi_server.py),
so tests may set up users and datasets through services and then attack over real HTTP.
"""

import os

import pytest
import requests

# The server's thread and the test share Django; ORM calls from this thread are fine while it waits.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class LiveSession(requests.Session):
    """A session whose paths are relative to the live server, with a timeout on every request."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("timeout", 30)
        return super().request(method, self.base_url + url if url.startswith("/") else url, *args, **kwargs)


@pytest.fixture
def http(live_server, transactional_db):
    """A requests session for the live server, with no credentials (`http.get("/api/v1/...")`)."""
    with LiveSession(live_server.url) as session:
        yield session


@pytest.fixture
def bearer(live_server, transactional_db):
    """`bearer(user, scope)`: a session sending a fresh personal token of `user`."""
    from apps.accounts import services

    clients = []

    def make(user, scope: str = "write") -> "LiveSession":
        _, secret = services.token_create(user=user, name="attack", scope=scope)
        client = LiveSession(live_server.url)
        client.headers["Authorization"] = f"Bearer {secret}"
        client.token = secret
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
