"""Streaming responses under the ASGI server, chunk by chunk.

Django serves a streaming response whose content is a plain (sync) iterator under ASGI by first reading
the whole iterator into a list, so an export of every row would sit in memory. This middleware hands
such a response an async iterator that pulls one chunk at a time on the request's own thread (the one
the view ran on, where its DuckDB connection lives), which keeps memory flat as under WSGI.
"""

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest

_DONE = object()


def _next_chunk(iterator):
    return next(iterator, _DONE)


async def _chunks(iterator):
    # The view's own generator is closed by response.close(), which Django runs on that thread too.
    pull = sync_to_async(_next_chunk, thread_sensitive=True)
    while (chunk := await pull(iterator)) is not _DONE:
        yield chunk


class AsyncStreamingMiddleware:
    """First in MIDDLEWARE, so it also sees WhiteNoise's file responses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if isinstance(request, ASGIRequest) and response.streaming and not response.is_async:
            response.streaming_content = _chunks(iter(response.streaming_content))
        return response
