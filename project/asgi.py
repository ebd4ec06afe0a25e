"""The ASGI application: Django for HTTP (every request body counted as it streams in and cut off past its
limit before Django spools it, apps.live.body_limit), the live socket (apps.live) for WebSockets at /ws/."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
django_http = get_asgi_application()  # sets Django up before anything below imports models

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from apps.live.body_limit import BodyLimit  # noqa: E402
from apps.live.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": BodyLimit(django_http),
        "websocket": AuthMiddlewareStack(URLRouter(websocket_urlpatterns)),
    }
)
