"""Single sign-on pages: the button, the start, and the way back from the provider.

The protocol lives in apps.accounts.oidc (Authlib); who the person is in Datamill is
`services.sso_sign_in`'s decision. Settings: OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_NAME.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from apps.accounts import services
from apps.accounts.redirects import safe_next

NEXT_KEY = "sso_next"


def enabled() -> bool:
    return bool(settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID)


def button() -> dict | None:
    """What the login page needs to show the single sign-on button, or None when it is off."""
    return {"name": settings.OIDC_NAME, "url": reverse("accounts:sso-login")} if enabled() else None


def protocol():
    # Imported on first use: Authlib and requests cost every process start a second and a half otherwise.
    from apps.accounts import oidc

    return oidc


def sso_login_view(request):
    """Start single sign-on: remember where to go afterwards, then off to the provider."""
    if not enabled():
        raise Http404("Single sign-on is not configured.")
    oidc = protocol()
    request.session[NEXT_KEY] = safe_next(request, reverse("home"))
    try:
        return oidc.authorize_redirect(request, request.build_absolute_uri(reverse("accounts:sso-callback")))
    except oidc.OidcFailed as failure:
        messages.error(request, str(failure))
        return redirect("accounts:login")


def sso_callback_view(request):
    """The provider sends the person back here with a code: check it, sign them in."""
    if not enabled():
        raise Http404("Single sign-on is not configured.")
    oidc = protocol()
    try:
        claims = oidc.verified_claims(request)
        user = services.sso_sign_in(issuer=settings.OIDC_ISSUER, claims=claims)
    except (oidc.OidcFailed, services.SignInRefused) as failure:
        messages.error(request, str(failure))
        return redirect("accounts:login")
    next_url = request.session.pop(NEXT_KEY, reverse("home"))
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect(next_url)
