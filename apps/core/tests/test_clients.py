"""One rule for who the client is: the TCP peer, unless a listed proxy forwarded the request."""

import logging
from pathlib import Path

import pytest
from django.test import Client

from apps.core.clients import client_address
from apps.core.management.commands.start import web_server_command


def meta(peer: str, forwarded: str | None = None) -> dict:
    return {"REMOTE_ADDR": peer, **({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})}


def test_no_proxy_is_trusted_by_default_not_even_loopback(settings):
    assert settings.FORWARDED_ALLOW_IPS == []
    assert client_address(meta("127.0.0.1", "203.0.113.9")) == "127.0.0.1"
    assert client_address(meta("unix-socket")) is None


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        ("10.0.0.2", "203.0.113.9", "203.0.113.9"),
        ("10.0.0.2", "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # what the client wrote on the left is ignored
        ("10.0.0.2", "203.0.113.9, 10.0.0.7", "203.0.113.9"),  # a second listed proxy is skipped
        ("10.0.0.2", "10.0.0.9", "10.0.0.9"),  # all proxies: the leftmost
        ("10.0.0.2", "not an address", "10.0.0.2"),
        ("192.0.2.1", "203.0.113.9", "192.0.2.1"),  # an unlisted peer's header is not read
        ("::1", "2001:db8::5", "2001:db8::5"),
    ],
)
def test_listed_proxies_are_read_from_the_right(settings, peer, forwarded, client):
    settings.FORWARDED_ALLOW_IPS = ["10.0.0.0/8", "::1"]
    assert client_address(meta(peer, forwarded)) == client


def test_metrics_are_not_opened_by_a_forged_loopback_address(db):
    assert Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="127.0.0.1").get("/metrics").status_code == 404


def test_api_throttles_do_not_take_a_fresh_bucket_per_forged_header(db, settings):
    from rest_framework.test import APIRequestFactory

    from apps.core.throttling import AnonRateThrottle

    request = APIRequestFactory().get("/api/v1/", HTTP_X_FORWARDED_FOR="198.51.100.1", REMOTE_ADDR="192.0.2.4")
    assert AnonRateThrottle().get_ident(request) == "192.0.2.4"


def test_uvicorn_gets_the_same_proxies_or_none(settings):
    settings.FORWARDED_ALLOW_IPS = []
    assert "--no-proxy-headers" in web_server_command(Path("/bin"), 1)
    settings.FORWARDED_ALLOW_IPS = ["10.0.0.0/8", "192.0.2.1"]
    command = web_server_command(Path("/bin"), 1)
    assert command[command.index("--forwarded-allow-ips") + 1] == "10.0.0.0/8,192.0.2.1"


def test_uvicorn_access_lines_under_manage_py_start_are_redacted(settings):
    """`manage.py start`'s uvicorn configures its loggers, then Django applies LOGGING over them."""
    from uvicorn.logging import AccessFormatter

    from apps.core.logs import RedactFilter

    config = settings.LOGGING["loggers"]["uvicorn.access"]
    assert "redact" in config["filters"] and config["handlers"] == ["console"]
    assert "redact" in settings.LOGGING["handlers"]["console"]["filters"]
    assert "redact" in settings.LOGGING["loggers"]["uvicorn.error"]["filters"]
    args = ("127.0.0.1:5000", "GET", "/ws/?token=dm_abcdefghijkl&x=1", "1.1", 200)
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d', args, None)
    RedactFilter().filter(record)
    line = AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s', use_colors=False).format(record)
    assert line == '127.0.0.1:5000 - "GET /ws/?token=[redacted]&x=1 HTTP/1.1" 200 OK'
