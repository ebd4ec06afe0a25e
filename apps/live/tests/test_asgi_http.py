"""HTTP through the ASGI application that `make run` serves: exports stream chunk by chunk, and an
oversized body is refused before it is read into a file (more over real HTTP: tests/security/test_bodies.py)."""

import asyncio

import pytest
from django.test import AsyncClient

from apps.live.body_limit import ApiBodyLimit

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_export_streams_under_asgi(make_dataset, workspace, owner, monkeypatch):
    from apps.live import streaming

    pulled = []
    original = streaming._next_chunk
    monkeypatch.setattr(streaming, "_next_chunk", lambda it: pulled.append(1) or original(it))
    dataset = make_dataset(workspace, visibility="public")
    response = asyncio.run(AsyncClient().get(f"/api/v1/datasets/{dataset.pk}/export/?format=csv"))
    assert response.status_code == 200
    body = b"".join(asyncio.run(_collect(response)))
    assert body.decode().splitlines()[0] == '"date","weather","temp_max","station"'
    assert len(body.decode().splitlines()) == 5
    assert len(pulled) >= 2  # chunk by chunk through the middleware, not one list


async def _collect(response):
    return [chunk async for chunk in response.streaming_content]


def test_an_oversized_api_body_is_refused_before_it_is_read(settings):
    settings.UPLOAD_MAX_BYTES = 1000
    seen = []

    async def app(scope, receive, send):  # Django: would spool the body
        seen.append(scope["path"])

    sent = []
    chunks = [{"type": "http.request", "body": b"x" * 60_000, "more_body": True}] * 3
    chunks.append({"type": "http.request", "body": b"", "more_body": False})

    async def receive():
        return chunks.pop(0)

    async def send(message):
        sent.append(message)

    def scope(path, length):
        return {"type": "http", "path": path, "headers": [(b"content-length", str(length).encode())]}

    asyncio.run(ApiBodyLimit(app)(scope("/api/v1/datasets/upload/", 180_000), receive, send))
    assert seen == [] and chunks == []  # drained, never handed on
    assert sent[0]["status"] == 413
    assert b'"code": "too_large"' in sent[1]["body"]
    assert b"upload limit of 1000" in sent[1]["body"]

    asyncio.run(ApiBodyLimit(app)(scope("/api/v1/datasets/upload/", 500), receive, send))
    assert seen == ["/api/v1/datasets/upload/"]
    # The upload page is bounded as the API is: without signing in, no more than the upload limit either.
    chunks.extend([{"type": "http.request", "body": b"x" * 60_000, "more_body": True}] * 3)
    chunks.append({"type": "http.request", "body": b"", "more_body": False})
    asyncio.run(ApiBodyLimit(app)(scope("/datasets/new/", 180_000), receive, send))
    assert seen == ["/api/v1/datasets/upload/"] and sent[-3]["status"] == 413
    assert sent[-2]["body"].startswith(b"413 Request body too large. The file is larger than the upload limit")
