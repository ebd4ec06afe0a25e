"""WebSocket routes: the one live socket at /ws/; any other path is refused at the handshake."""

from channels.security.websocket import WebsocketDenier
from django.urls import path, re_path

from apps.live.consumers import LiveConsumer

websocket_urlpatterns = [
    path("ws/", LiveConsumer.as_asgi()),
    re_path(r"", WebsocketDenier.as_asgi()),
]
