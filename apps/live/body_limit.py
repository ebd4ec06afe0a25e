"""An API request body over the upload limit is refused before Django reads it.

Under ASGI, Django spools a whole request body to a temporary file before any view or upload handler
runs, so an oversized upload would first be written to disk in full. This guard answers such a request
(its Content-Length says so) with the API's 413 at once, reading the body and throwing it away as it
arrives so the client still gets the answer rather than a reset connection. Smaller bodies, and bodies
without a length, pass through to the upload handler's own limit (apps.datasets.uploads).
"""

import json

from django.conf import settings

MULTIPART_ALLOWANCE = 64 * 1024  # the form fields and boundaries around the file


def content_length(scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class ApiBodyLimit:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        length = content_length(scope) if scope["type"] == "http" else None
        limit = settings.UPLOAD_MAX_BYTES + MULTIPART_ALLOWANCE
        if length is None or length <= limit or not scope.get("path", "").startswith("/api/"):
            return await self.app(scope, receive, send)
        while True:
            message = await receive()
            if message["type"] == "http.disconnect" or not message.get("more_body", False):
                break
        from apps.core.exceptions import error_body
        from apps.datasets.uploads import upload_limit_message

        body = json.dumps(error_body("too_large", upload_limit_message(), {"max_bytes": settings.UPLOAD_MAX_BYTES}))
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body.encode()})
