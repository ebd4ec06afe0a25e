"""When Redis (cache, throttles, job queue) stops answering, pages and the API say so with a 503 at once.

Connections to Redis time out after two seconds (settings), so nothing hangs; this middleware turns the
resulting errors into a 503 with the JSON error body (API) or a short page, instead of a 500. Nothing needs
restarting when Redis returns: every request opens its connections anew.
"""

import logging

import redis
from django.http import HttpResponse
from django.template.loader import render_to_string
from kombu.exceptions import OperationalError

from apps.core.exceptions import error_response, is_api_path

logger = logging.getLogger(__name__)

MESSAGE = "The job queue and cache (Redis) are not answering right now."
RETRY_AFTER_SECONDS = 5
UNAVAILABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OperationalError)


class RedisUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except UNAVAILABLE as error:  # raised by middleware outside any view
            return self.answer(request, error)

    def process_exception(self, request, exception):
        if isinstance(exception, UNAVAILABLE):
            return self.answer(request, exception)
        return None

    def answer(self, request, error) -> HttpResponse:
        logger.warning("Redis is unavailable: %s", error)
        if is_api_path(request.path):
            response = error_response(503, "service_unavailable", f"{MESSAGE} Try again in a moment.")
        else:
            response = HttpResponse(render_to_string("503.html", {"message": MESSAGE}), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
