"""Who may send an upload-sized body: decided at the ASGI boundary from the headers alone, before a byte of
the body is read (apps/live/body_limit.py asks).

A POST to one of the upload endpoints may be as large as UPLOAD_MAX_BYTES only when its caller is signed in
and may write: a valid bearer credential of write scope (personal token, JWT or OAuth2 access token, judged
by the API's own authenticator), or else a valid session cookie of an active account. Everything else (no
credentials, a bad or read-only token, an expired session, any other path or method) keeps the small limit,
and on an upload endpoint never more than the upload limit either.
"""

import io

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import get_user
from django.core.handlers.asgi import ASGIRequest
from django.urls import Resolver404, resolve
from rest_framework import exceptions

# The views that take a file: the API's upload and new-version actions, and the pages' upload forms.
UPLOAD_VIEWS = frozenset({"api:dataset-upload", "api:dataset-versions", "datasets:new", "datasets:version-new"})
CREDENTIAL_HEADERS = (b"authorization", b"cookie", b"host")


def is_upload_endpoint(scope) -> bool:
    """One of the paths that take a file (whatever the method: none of them takes more than a file)."""
    try:
        return resolve(scope.get("path", "")).view_name in UPLOAD_VIEWS
    except Resolver404:
        return False


def headers_only_request(scope) -> ASGIRequest:
    """The request as Django would see it, with its credentials and without its body."""
    headers = [(name, value) for name, value in scope.get("headers", []) if name in CREDENTIAL_HEADERS]
    return ASGIRequest({**scope, "headers": headers}, io.BytesIO(b""))


def signed_in_writer(scope) -> bool:
    from importlib import import_module

    from apps.accounts.authentication import BearerTokenAuthentication

    request = headers_only_request(scope)
    try:
        found = BearerTokenAuthentication().authenticate(request)
    except exceptions.AuthenticationFailed:
        return False
    if found is not None:
        user, credential = found
        return bool(user and user.is_active and credential.can_write)
    if request.META.get("HTTP_AUTHORIZATION"):
        return False  # some other scheme: the API would not take it
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not session_key:
        return False
    request.session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    return get_user(request).is_authenticated


async def may_upload(scope) -> bool:
    """Whether this request may carry an upload-sized body: a POST to an upload endpoint by a signed-in
    caller who may write (never reads the body)."""
    if scope.get("method") != "POST" or not is_upload_endpoint(scope):
        return False
    return await sync_to_async(signed_in_writer, thread_sensitive=True)(scope)
