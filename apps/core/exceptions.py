"""Every API error has one shape: {"error": {"code", "message", "details"}}."""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from dataplane.errors import Refusal

logger = logging.getLogger(__name__)


def error_body(code: str, message: str, details=None) -> dict:
    return {"error": {"code": code, "message": message, "details": details}}


def error_response(status_code: int, code: str, message: str, details=None) -> JsonResponse:
    """The error body outside DRF views (middleware, plain Django views)."""
    return JsonResponse(error_body(code, message, details), status=status_code)


class Refused(exceptions.APIException):
    """A Refusal in DRF's terms: a 400 with the refusal's code, message and details."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_query"

    def __init__(self, refusal: Refusal):
        super().__init__(detail=refusal.message, code=refusal.code)
        self.error_details = refusal.details


def translate(exc):
    """Map domain and Django exceptions onto DRF's, so one handler shapes them all."""
    if isinstance(exc, Refusal):
        return Refused(exc)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        return exceptions.ValidationError(detail)
    if isinstance(exc, Http404):
        return exceptions.NotFound(str(exc) or "Not found.")
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    return exc


def first_message(detail) -> str:
    if isinstance(detail, dict):
        for key, value in detail.items():
            message = first_message(value)
            return message if key == "non_field_errors" else f"{key}: {message}"
    if isinstance(detail, list) and detail:
        return first_message(detail[0])
    return str(detail)


def api_exception_handler(exc, context):
    exc = translate(exc)
    response = exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: a 500, logged by Django
    if isinstance(exc, exceptions.ValidationError):
        code = "invalid"
        details = exc.detail
        message = first_message(exc.detail) if exc.detail else "Invalid input."
    else:
        detail = getattr(exc, "detail", str(exc))
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        code = codes if isinstance(codes, str) else "error"
        message = str(detail)
        details = getattr(exc, "error_details", None)
        if isinstance(exc, exceptions.Throttled):
            details = {"wait_seconds": exc.wait}
    body = error_body(code, message, details)
    return Response(body, status=response.status_code, headers=dict(response.items()))


def is_api_path(path: str) -> bool:
    return path.startswith("/api/")


__all__ = ["api_exception_handler", "error_body", "error_response", "is_api_path", "status"]
