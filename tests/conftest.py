"""The live server that browser tests and attacks share: one per test run.

One server, because the channel layer (channels-redis) serves one event loop in a process: a second server's
loop could not receive the socket's events.
"""

import pytest


@pytest.fixture(scope="session")
def live_server():
    """The ASGI stack `make run` serves, HTTP and the /ws/ socket (tests/e2e/asgi_server.py)."""
    from tests.e2e.asgi_server import AsgiLiveServer

    server = AsgiLiveServer()
    yield server
    server.stop()
