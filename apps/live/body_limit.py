"""Request bodies are bounded at the ASGI boundary, before Django stores them (DESIGN.md: "Request bodies are
bounded before they are stored, on every path, with or without Content-Length").

Under ASGI, Django reads a whole request body into a temporary file before any view, form or upload handler
runs, so a limit checked there comes too late. This guard counts the bytes as they arrive instead. Every
request may send REQUEST_MAX_BYTES; a POST to an upload endpoint by a signed-in caller who may write
(apps/live/upload_auth.py, judged from the headers alone) may send UPLOAD_MAX_BYTES plus room for the form
around the file. A Content-Length over the limit is answered at once; a body that streams past it (chunked,
or longer than it said) is cut off there: Django is told the client left and stores nothing more. The answer
is a 413, in the API's error body on /api/ and as a short plain page elsewhere; then the rest of the body is
read and dropped, up to DRAIN_BYTES or DRAIN_SECONDS, so a client still sending reads the 413 rather than a
reset connection.
"""

import asyncio
import json
import time

from django.conf import settings
from django.template.defaultfilters import filesizeformat

from apps.live.upload_auth import is_upload_endpoint, may_upload

MULTIPART_ALLOWANCE = 64 * 1024  # the form fields and boundaries around the file
DRAIN_BYTES = 4 * 1024 * 1024
DRAIN_SECONDS = 5.0


def content_length(scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class BodyLimit:
    """ASGI middleware around Django's HTTP application (project/asgi.py)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit, upload = await limit_for(scope)
        length = content_length(scope)
        if length is not None and length > limit:
            return await refuse(scope, receive, send, upload=upload)

        received, over, answered = 0, False, False

        async def counted_receive():
            nonlocal received, over
            if over:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    over = True  # Django drops what it has spooled and gives up on the request
                    return {"type": "http.disconnect"}
            return message

        async def watched_send(message):
            nonlocal answered
            if message["type"] == "http.response.start":
                answered = True
            await send(message)

        await self.app(scope, counted_receive, watched_send)
        if over and not answered:
            await refuse(scope, receive, send, upload=upload)


# The name of the guard before it covered every path.
ApiBodyLimit = BodyLimit


async def limit_for(scope) -> tuple[int, bool]:
    """The body limit for this request, and whether it is the upload limit (which names itself in the 413).

    An upload endpoint takes the upload limit from a signed-in writer, and from anyone else no more than the
    smaller of the two limits; every other request takes REQUEST_MAX_BYTES."""
    upload_limit = settings.UPLOAD_MAX_BYTES + MULTIPART_ALLOWANCE
    if not is_upload_endpoint(scope):
        return settings.REQUEST_MAX_BYTES, False
    if upload_limit <= settings.REQUEST_MAX_BYTES or await may_upload(scope):
        return upload_limit, True
    return settings.REQUEST_MAX_BYTES, False


def refusal(scope, *, upload: bool) -> tuple[bytes, bytes]:
    """The 413's content type and body: the API's error shape on /api/, a line of text elsewhere."""
    if upload:
        from apps.datasets.uploads import upload_limit_message

        limit, message = settings.UPLOAD_MAX_BYTES, upload_limit_message()
    else:
        limit = settings.REQUEST_MAX_BYTES
        message = f"The request body is larger than the limit of {filesizeformat(limit)}."
        if scope.get("method") == "POST":
            message += " Files may be larger when you upload them signed in, with a token that may write."
    if scope.get("path", "").startswith("/api/"):
        from apps.core.exceptions import error_body

        body = json.dumps(error_body("too_large", message, {"max_bytes": limit}))
        return b"application/json", body.encode()
    return b"text/plain; charset=utf-8", f"413 Request body too large. {message}\n".encode()


async def refuse(scope, receive, send, *, upload: bool) -> None:
    content_type, body = refusal(scope, upload=upload)
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    # The answer goes out before the drain, but stays open until it ends: a server counts a finished
    # response as the end of the request, and would stop reading (the client would then see a reset).
    await send({"type": "http.response.body", "body": body, "more_body": True})
    await drain(receive)
    await send({"type": "http.response.body", "body": b""})


async def drain(receive) -> None:
    """Read and drop what the client is still sending, within bounds, so it gets to read the answer."""
    dropped, deadline = 0, time.monotonic() + DRAIN_SECONDS
    while dropped <= DRAIN_BYTES and (left := deadline - time.monotonic()) > 0:
        try:
            message = await asyncio.wait_for(receive(), timeout=left)
        except TimeoutError:
            return
        if message["type"] != "http.request":
            return
        dropped += len(message.get("body", b""))
        if not message.get("more_body", False):
            return
