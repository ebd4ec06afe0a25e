"""Failed-login limits, per account and per client address, counted in the shared cache.

Each limit is a sliding count over a window; a limit reached only slows down that account or
that address, and a successful login clears the account's count.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(kind: str, value: str) -> str:
    return f"login-fail:{kind}:{hashlib.sha256(value.lower().encode()).hexdigest()[:32]}"


def client_ip(request) -> str:
    # Behind a proxy, set the proxy to overwrite REMOTE_ADDR (see README, production shape).
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def blocked_reason(*, email: str, ip: str) -> str | None:
    """Why a login attempt is refused right now, or None."""
    minutes = max(1, settings.LOGIN_FAILURE_WINDOW // 60)
    if email and (cache.get(_key("account", email)) or 0) >= settings.LOGIN_FAILURES_PER_ACCOUNT:
        return (
            "Too many failed sign-in attempts for this account. "
            f"Wait {minutes} minutes and try again, "
            "or reset your password (“Forgot your password?” on the sign-in page)."
        )
    if (cache.get(_key("ip", ip)) or 0) >= settings.LOGIN_FAILURES_PER_IP:
        return f"Too many failed sign-in attempts from your network. Wait {minutes} minutes and try again."
    return None


def _incr(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW)


def record_failure(*, email: str, ip: str) -> None:
    if email:
        _incr(_key("account", email))
    _incr(_key("ip", ip))


def record_success(*, email: str) -> None:
    cache.delete(_key("account", email))
