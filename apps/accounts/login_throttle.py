"""Failed sign-ins slow the attacker, not the owner.

Failures are counted per (account, client address) and per client address, so guessing from one place
stops that place while the owner, signing in from anywhere that has not been failing, still gets in.
A much higher per-account count is a backstop against guesses spread over many addresses; it too holds
back only addresses that have failed before. Every refusal says how long to wait. The client address is
apps.core.clients's, so a made-up `X-Forwarded-For` does not open a fresh count.
"""

from django.conf import settings

from apps.accounts.limits import Counter, wait_text
from apps.core.clients import request_client_address


def _pair() -> Counter:
    return Counter("login-pair", settings.LOGIN_FAILURES_PER_ACCOUNT_AND_IP, settings.LOGIN_FAILURE_WINDOW)


def _address() -> Counter:
    return Counter("login-ip", settings.LOGIN_FAILURES_PER_IP, settings.LOGIN_FAILURE_WINDOW)


def _account() -> Counter:
    return Counter("login-account", settings.LOGIN_FAILURES_PER_ACCOUNT, settings.LOGIN_FAILURE_WINDOW)


def client_ip(request) -> str:
    return request_client_address(request) or "unknown"


def blocked(*, email: str, ip: str) -> tuple[str, int] | None:
    """(why, seconds to wait) when a sign-in attempt from `ip` is refused right now, else None."""
    pair = f"{email}|{ip}"
    if email and _pair().reached(pair):
        wait = _pair().wait(pair)
        return (
            "Too many failed sign-in attempts for this account from your network. "
            f"Wait {wait_text(wait)} and try again, "
            "or reset your password (“Forgot your password?” on the sign-in page).",
            wait,
        )
    if _address().reached(ip):
        wait = _address().wait(ip)
        return f"Too many failed sign-in attempts from your network. Wait {wait_text(wait)} and try again.", wait
    if email and _account().reached(email) and _address().count(ip) > 0:
        wait = _account().wait(email)
        return (
            "Too many failed sign-in attempts for this account from many networks, so networks that have entered "
            f"a wrong password are held back. Wait {wait_text(wait)} and try again, or reset your password.",
            wait,
        )
    return None


def blocked_reason(*, email: str, ip: str) -> str | None:
    """Why a sign-in attempt from `ip` is refused right now (saying how long to wait), or None."""
    found = blocked(email=email, ip=ip)
    return found[0] if found else None


def record_failure(*, email: str, ip: str) -> None:
    if email:
        _pair().add(f"{email}|{ip}")
        _account().add(email)
    _address().add(ip)


def record_success(*, email: str, ip: str) -> None:
    _pair().clear(f"{email}|{ip}")
