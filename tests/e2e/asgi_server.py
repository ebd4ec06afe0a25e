"""The browser tests' server: the ASGI application `make run` serves (HTTP and the /ws/ socket),
run by uvicorn in a thread on loopback, with static files served from the finders like Django's own
live server. It stands in for pytest-django's WSGI `live_server`, which has no WebSockets."""

import threading
import time

import uvicorn
from channels.routing import ProtocolTypeRouter
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.test.utils import modify_settings

HOST = "127.0.0.1"


class AsgiLiveServer:
    def __init__(self) -> None:
        from project.asgi import application

        app = ProtocolTypeRouter(
            {
                "http": ASGIStaticFilesHandler(application.application_mapping["http"]),
                "websocket": application.application_mapping["websocket"],
            }
        )
        from django.conf import settings

        # Proxy headers exactly as `manage.py start` sets them (apps.core.clients): none trusted by default.
        proxies = ",".join(settings.FORWARDED_ALLOW_IPS)
        config = uvicorn.Config(
            app,
            host=HOST,
            port=0,
            lifespan="off",
            ws="websockets-sansio",
            log_level="warning",
            proxy_headers=bool(proxies),
            forwarded_allow_ips=proxies or None,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="asgi-live-server", daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("The ASGI test server did not start.")
            time.sleep(0.02)
        self.port = self.server.servers[0].sockets[0].getsockname()[1]
        # pytest-django's helper enables this around each test that uses the live server.
        self._live_server_modified_settings = modify_settings(ALLOWED_HOSTS={"append": HOST})

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def __str__(self) -> str:
        return self.url

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
