"""Errors raised outside DRF views (unknown API paths, CSRF failures) still answer JSON."""

import json

from apps.core.exceptions import error_response, is_api_path

GENERIC = {
    400: ("bad_request", "The request could not be understood."),
    403: ("permission_denied", "You do not have permission to do this."),
    404: ("not_found", "There is nothing at this address."),
    405: ("method_not_allowed", "This method is not allowed here."),
    413: ("too_large", "The request body is too large."),
    500: ("server_error", "Something went wrong on our side; the error has been logged."),
}


class ApiErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not is_api_path(request.path) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json") and is_error_body(response):
            return response
        code, message = GENERIC.get(response.status_code, ("error", f"The request failed ({response.status_code})."))
        return error_response(response.status_code, code, message)


def is_error_body(response) -> bool:
    if getattr(response, "streaming", False):
        return True
    try:
        body = json.loads(response.content or b"{}")
    except ValueError:
        return False
    return isinstance(body, dict) and "error" in body
