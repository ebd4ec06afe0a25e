"""Rule: "Request bodies are bounded before they are stored, on every path, with or without Content-Length."

Over real HTTP against the live ASGI server, with small limits so each attack is quick: a body past its limit
is answered 413 (the API's error body on /api/, a plain page elsewhere) after Django has been handed at most
the limit, and the client is stopped long before it has sent it all. Only a signed-in caller who may write
gets the upload limit, and only on the upload endpoints.
"""

import secrets
import time

import pytest
import requests
from django.core.handlers.asgi import ASGIHandler
from django.test import Client

from apps.datasets.models import Dataset

SMALL = 32 * 1024  # REQUEST_MAX_BYTES in these tests
UPLOAD = 512 * 1024  # UPLOAD_MAX_BYTES
HUGE = 256 * 1024 * 1024  # what an attacker offers to send
CHUNK = 64 * 1024


@pytest.fixture(autouse=True)
def small_limits(settings):
    settings.REQUEST_MAX_BYTES = settings.DATA_UPLOAD_MAX_MEMORY_SIZE = SMALL
    settings.UPLOAD_MAX_BYTES = UPLOAD


@pytest.fixture
def stored(monkeypatch):
    """Bytes of each request body that reached Django's spooling (ASGIHandler.read_body)."""
    seen: list[int] = []
    original = ASGIHandler.read_body

    async def read_body(self, receive):
        seen.append(0)

        async def counted():
            message = await receive()
            seen[-1] += len(message.get("body", b""))
            return message

        return await original(self, counted)

    monkeypatch.setattr(ASGIHandler, "read_body", read_body)
    return seen


class Offered:
    """A body of `total` bytes that the client produces only as the server takes them; `sent` counts them.
    As a file (`len`, `read`) requests sends it with a Content-Length; as `chunks()`, chunked without one.
    Either way it stops after 20 seconds."""

    def __init__(self, total: int, head: bytes = b"") -> None:
        self.total, self.head, self.sent, self.started = total, head, 0, time.monotonic()

    def chunks(self):
        if self.head:
            self.sent += len(self.head)
            yield self.head
        while self.sent < self.total and time.monotonic() - self.started < 20:
            self.sent += CHUNK
            yield b"x" * CHUNK

    def __len__(self) -> int:
        return self.total

    def read(self, size: int = CHUNK) -> bytes:
        if self.sent >= self.total or time.monotonic() - self.started > 20:
            return b""
        self.sent += min(size, CHUNK)
        return b"x" * min(size, CHUNK)


def multipart(name: str = "one.csv", workspace: str = "acme") -> tuple[str, bytes]:
    boundary = secrets.token_hex(8)
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="workspace"\r\n\r\n{workspace}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    return f"multipart/form-data; boundary={boundary}", head


def csv_upload(size: int) -> dict:
    rows = b"city,temp\n" + b"Oslo,3\n" * (size // 7)
    return {"files": {"file": ("readings.csv", rows, "text/csv")}, "data": {"workspace": "acme"}}


def test_an_anonymous_login_post_over_the_small_limit_is_refused_unread(http, stored):
    body = Offered(HUGE)
    response = http.post(
        "/accounts/login/", data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}, timeout=30
    )
    assert response.status_code == 413
    assert response.headers["Content-Type"].startswith("text/plain")
    assert response.text.startswith("413 Request body too large. The request body is larger than the limit of 32")
    assert stored == []  # its Content-Length said so: Django never saw the request
    assert body.sent < HUGE // 8, f"the client got to send {body.sent:,} bytes"


def test_a_chunked_body_without_length_is_cut_at_the_limit(http, stored):
    body = Offered(HUGE)
    response = http.post("/api/v1/auth/jwt/", data=body.chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "too_large" and error["details"] == {"max_bytes": SMALL}
    assert len(stored) == 1 and stored[0] <= SMALL + CHUNK  # what Django spooled before it was cut off
    assert body.sent < HUGE // 8, f"the client got to send {body.sent:,} bytes"


def test_a_chunked_upload_by_a_writer_is_cut_at_the_upload_limit(bearer, owner, workspace, stored):
    content_type, head = multipart()
    body = Offered(HUGE, head=head)
    response = bearer(owner).post(
        "/api/v1/datasets/upload/", data=body.chunks(), headers={"Content-Type": content_type}
    )
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "too_large"
    assert error["message"] == "The file is larger than the upload limit of 512.0\xa0KB."
    assert len(stored) == 1 and SMALL < stored[0] <= UPLOAD + 64 * 1024 + CHUNK
    assert body.sent < HUGE // 8
    assert not Dataset.objects.exists()


def test_a_writer_uploads_under_the_upload_limit_as_before(bearer, owner, workspace):
    response = bearer(owner).post("/api/v1/datasets/upload/", **csv_upload(200 * 1024))
    assert response.status_code == 202, response.text
    assert response.json()["version"]["status"] == "queued"


def test_a_signed_in_session_uploads_under_the_upload_limit(live_server, owner, workspace):
    signed_in = Client()
    signed_in.force_login(owner)
    csrf = secrets.token_hex(16)
    with requests.Session() as browser:
        browser.cookies.set("sessionid", signed_in.cookies["sessionid"].value)
        browser.cookies.set("csrftoken", csrf)
        response = browser.post(
            f"{live_server.url}/api/v1/datasets/upload/",
            headers={"X-CSRFToken": csrf},
            timeout=30,
            **csv_upload(200 * 1024),
        )
    assert response.status_code == 202, response.text


@pytest.mark.parametrize("credential", ["none", "invalid token", "read token", "unknown session"])
def test_an_upload_by_anyone_else_keeps_the_small_limit(credential, http, bearer, owner, workspace, stored):
    client = bearer(owner, "read") if credential == "read token" else http
    if credential == "invalid token":
        client.headers["Authorization"] = "Bearer dm_" + secrets.token_urlsafe(24)
    if credential == "unknown session":
        client.cookies.set("sessionid", secrets.token_hex(16))
    response = client.post("/api/v1/datasets/upload/", **csv_upload(200 * 1024))
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "too_large" and error["details"] == {"max_bytes": SMALL}
    assert "Files may be larger when you upload them signed in" in error["message"]
    assert stored == []
    assert not Dataset.objects.exists()


def test_bodies_under_the_small_limit_pass_everywhere(http, owner):
    response = http.post("/api/v1/auth/jwt/", json={"email": owner.email, "password": "wrong" * 10})
    assert response.status_code == 401  # read and judged, not refused for its size


def test_a_jwt_access_token_is_judged_at_the_boundary_too(http, owner, workspace):
    from rest_framework_simplejwt.tokens import RefreshToken

    http.headers["Authorization"] = f"Bearer {RefreshToken.for_user(owner).access_token}"
    assert http.post("/api/v1/datasets/upload/", **csv_upload(200 * 1024)).status_code == 202
    http.headers["Authorization"] = "Bearer a.b.c"
    assert http.post("/api/v1/datasets/upload/", **csv_upload(200 * 1024)).status_code == 413
