"""DESIGN.md, "Security rules that every feature keeps": secrets (tokens, passwords, keys in URLs) are never
written to logs. Real requests to the live server carry secrets in the query string, the path and the
Authorization header; every log line they produce, uvicorn's access and WebSocket lines included, is read."""

import contextlib
import logging

import pytest
from websockets.sync.client import connect

from apps.accounts import services as accounts

LOGGERS = ("uvicorn.access", "uvicorn.error", "")


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture
def log_lines():
    """Every line the server logs meanwhile, at INFO and above (the test server logs warnings only)."""
    handler = Lines()
    saved = []
    for name in LOGGERS:
        logger = logging.getLogger(name)
        saved.append((logger, logger.level))
        logger.setLevel(logging.INFO)
        logger.addHandler(handler)
    yield handler.lines
    for logger, level in saved:
        logger.removeHandler(handler)
        logger.setLevel(level)


def test_no_line_carries_a_token_password_or_code(live_server, http, owner, log_lines):
    _, secret = accounts.token_create(user=owner, name="script", scope="read")
    http.get(f"/api/v1/me/?token={secret}")
    http.get("/api/v1/me/", headers={"Authorization": f"Bearer {secret}"})
    http.get("/no/such/page/?access_token=sekrit-access&password=hunter22&code=oauth-code-123")
    http.get("/invite/invitation-secret-abc/")
    with connect(live_server.url.replace("http", "ws") + f"/ws/?token={secret}", open_timeout=10):
        pass
    with contextlib.suppress(Exception):
        connect(live_server.url.replace("http", "ws") + "/ws/?token=dm_not-a-real-token-xyz", open_timeout=10)

    text = "\n".join(log_lines)
    assert "/api/v1/me/?token=[redacted]" in text  # the lines are there, without their secrets
    assert "WebSocket /ws/?token=[redacted]" in text
    for leaked in (secret, "sekrit-access", "hunter22", "oauth-code-123", "invitation-secret-abc", "not-a-real"):
        assert leaked not in text, leaked
