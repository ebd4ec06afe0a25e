"""The ASGI application: Django for HTTP (oversized API bodies refused before they are spooled), the live
socket (apps.live) for WebSockets at /ws/."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
django_http = get_asgi_application()  # sets Django up before anything below imports models

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from apps.live.body_limit import ApiBodyLimit  # noqa: E402
from apps.live.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": ApiBodyLimit(django_http),
        "websocket": AuthMiddlewareStack(URLRouter(websocket_urlpatterns)),
    }
)
