"""Single sign-on with one OpenID Connect provider (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_NAME).

Authlib's Django client does the protocol: discovery from `<issuer>/.well-known/openid-configuration`,
the authorization code flow with PKCE (S256), a `state` kept in the session and a `nonce` checked
in the ID token, whose signature (the provider's JWKS), issuer, audience and expiry it verifies.
Who the person is in Datamill is `services.sso_sign_in`'s decision.
"""

import logging
from functools import lru_cache

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from apps.accounts import services
from apps.accounts.redirects import safe_next

logger = logging.getLogger(__name__)

NEXT_KEY = "sso_next"
UNAVAILABLE = "Single sign-on is unavailable right now; try again in a moment, or sign in with a password."


def enabled() -> bool:
    return bool(settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID)


def button() -> dict | None:
    """What the login page needs to show the single sign-on button, or None when it is off."""
    return {"name": settings.OIDC_NAME, "url": reverse("accounts:sso-login")} if enabled() else None


@lru_cache(maxsize=4)
def client_for(issuer: str, client_id: str, client_secret: str):
    """One client per configuration; it keeps the provider's metadata once fetched."""
    oauth = OAuth()
    return oauth.register(
        name="oidc",
        client_id=client_id,
        client_secret=client_secret,
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256", "default_timeout": 10},
    )


def client():
    return client_for(settings.OIDC_ISSUER, settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET)


def sso_login_view(request):
    """Start single sign-on: remember where to go afterwards, then off to the provider."""
    if not enabled():
        raise Http404("Single sign-on is not configured.")
    request.session[NEXT_KEY] = safe_next(request, reverse("home"))
    oidc = client()
    try:
        metadata = oidc.load_server_metadata()
        if metadata.get("issuer", "").rstrip("/") != settings.OIDC_ISSUER:
            raise OAuthError(description=f"the discovery document names another issuer ({metadata.get('issuer')})")
        return oidc.authorize_redirect(request, request.build_absolute_uri(reverse("accounts:sso-callback")))
    except (requests.RequestException, ValueError, OAuthError) as error:
        logger.warning("OpenID Connect discovery at %s failed: %s", settings.OIDC_ISSUER, error)
        messages.error(request, UNAVAILABLE)
        return redirect("accounts:login")


def sso_callback_view(request):
    """The provider sends the person back here with a code: check it, sign them in."""
    if not enabled():
        raise Http404("Single sign-on is not configured.")
    oidc = client()
    try:
        token = oidc.authorize_access_token(request)
        claims = dict(token.get("userinfo") or {})
        if not claims:
            raise OAuthError(description="the provider sent no ID token")
        if "email" not in claims and oidc.load_server_metadata().get("userinfo_endpoint"):
            extra = oidc.userinfo(token=token)
            if extra.get("sub") == claims.get("sub"):
                claims = {**extra, **claims}
    except OAuthError as error:
        logger.info("Single sign-on refused: %s %s", error.error, error.description)
        messages.error(request, refusal_message(error))
        return redirect("accounts:login")
    except (requests.RequestException, ValueError) as error:
        logger.warning("Single sign-on failed talking to %s: %s", settings.OIDC_ISSUER, error)
        messages.error(request, UNAVAILABLE)
        return redirect("accounts:login")
    try:
        user = services.sso_sign_in(issuer=settings.OIDC_ISSUER, claims=claims)
    except services.SignInRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("accounts:login")
    next_url = request.session.pop(NEXT_KEY, reverse("home"))
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect(next_url)


def refusal_message(error: OAuthError) -> str:
    if error.error == "access_denied":
        return f"Sign-in with {settings.OIDC_NAME} was cancelled."
    if error.error == "mismatching_state":
        return "That sign-in link was stale or not started here; start again with the button below."
    return f"Sign-in with {settings.OIDC_NAME} did not succeed ({error.description or error.error}). Try again."
