import asyncio

import pytest
from channels.layers import channel_layers

from apps.live.tests.helpers import Socket


@pytest.fixture
def socket(transactional_db):
    """Open live sockets on one event loop and a fresh channel layer; all closed after the test."""
    channel_layers.backends.clear()
    loop = asyncio.new_event_loop()
    opened = []

    def open_socket(path: str = "/ws/", headers=()):
        opened.append(Socket(loop, path, headers))
        return opened[-1]

    yield open_socket
    for each in opened:
        each.close()
    loop.close()
    channel_layers.backends.clear()
