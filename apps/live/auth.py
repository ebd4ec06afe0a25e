"""Who is on the other end of a WebSocket.

A script sends a token (`Authorization: Bearer <token>`, or `?token=<token>` where a client cannot set
headers); it goes through the API's own authenticators (REST_FRAMEWORK's DEFAULT_AUTHENTICATION_CLASSES,
session authentication aside), so any token kind the API accepts works here too. A browser is known by
its session cookie, but only from our own pages: a cookie arriving with a foreign Origin (another site
opening a socket in a visitor's browser) is refused, and a cookie without any Origin is ignored.
Nothing at all is an anonymous visitor, who may still follow public datasets.

A socket outlives its handshake, so `still_signed_in` asks again, with a fresh look at the token or the
session: a revoked or expired token, a signed-out session or a changed password ends the socket.
"""

from importlib import import_module
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.contrib.auth import get_user
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.http.request import is_same_domain, split_domain_port, validate_host
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request
from rest_framework.settings import api_settings


class Refused(Exception):
    """The handshake is refused (the client sees HTTP 403)."""


def header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


def origin_allowed(origin: str, host: str | None) -> bool:
    """Same origin as the page's host (a host in ALLOWED_HOSTS), or one of CSRF_TRUSTED_ORIGINS."""
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False
    for trusted in settings.CSRF_TRUSTED_ORIGINS:
        allowed = urlsplit(trusted)
        if allowed.scheme != parts.scheme:
            continue
        if allowed.netloc == parts.netloc:
            return True
        if allowed.netloc.startswith("*") and is_same_domain(parts.netloc, allowed.netloc[1:]):
            return True
    if host is None or parts.netloc.lower() != host.lower():
        return False
    domain, _port = split_domain_port(host)
    return bool(domain) and validate_host(domain, settings.ALLOWED_HOSTS)


def token_request(scope) -> Request | None:
    """A DRF request carrying the handshake's headers, with `?token=` as a bearer header; None when
    no credential was sent."""
    meta = {"REQUEST_METHOD": "GET", "QUERY_STRING": scope.get("query_string", b"").decode("latin-1")}
    for key, value in scope.get("headers", []):
        name = "HTTP_" + key.decode("latin-1").upper().replace("-", "_")
        meta[name] = value.decode("latin-1")
    meta.pop("HTTP_COOKIE", None)  # the session is not a token: it is checked with the Origin below
    if "HTTP_AUTHORIZATION" not in meta:
        token = parse_qs(meta["QUERY_STRING"]).get("token")
        if not token:
            return None
        meta["HTTP_AUTHORIZATION"] = f"Bearer {token[0]}"
    http_request = HttpRequest()
    http_request.method = "GET"
    http_request.path = scope.get("path", "/ws/")
    http_request.META = meta
    if client := scope.get("client"):
        meta["REMOTE_ADDR"] = client[0]
    return Request(http_request)


def authenticators():
    return [cls() for cls in api_settings.DEFAULT_AUTHENTICATION_CLASSES if not issubclass(cls, SessionAuthentication)]


def socket_user(scope):
    """The user of a handshake (AnonymousUser when none), or Refused. Sync: it reads the database."""
    request = token_request(scope)
    if request is not None:
        for authenticator in authenticators():
            try:
                found = authenticator.authenticate(request)
            except exceptions.AuthenticationFailed as error:
                raise Refused(str(error.detail)) from None
            if found is not None:
                return found[0]
        raise Refused("The credential sent is not one this server knows.")
    origin = header(scope, b"origin")
    if origin is not None and not origin_allowed(origin, header(scope, b"host")):
        raise Refused(f"WebSockets from {origin} are not accepted.")
    user = scope.get("user")
    if origin is None or user is None or not user.is_authenticated:
        return AnonymousUser()
    return user


def still_signed_in(scope, user) -> bool:
    """Whether the credential that opened a socket for `user` still stands (always, for an anonymous
    visitor). Sync: it reads the database."""
    if not user.is_authenticated:
        return True
    if token_request(scope) is not None:
        try:
            return socket_user(scope).pk == user.pk
        except Refused:
            return False
    session = scope.get("session")
    session_key = getattr(session, "session_key", None)
    if not session_key:
        return False
    # A fresh store: the scope's own copy was read at the handshake and would not see a sign-out.
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    current = get_user(SimpleNamespace(session=store))  # also checks the password has not changed
    return current.is_authenticated and current.pk == user.pk and current.is_active
