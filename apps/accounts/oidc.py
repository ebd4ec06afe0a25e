"""The OpenID Connect protocol for single sign-on, done by Authlib's Django client.

Discovery from `<issuer>/.well-known/openid-configuration`, the authorization code flow with PKCE
(S256), a `state` kept in the session and a `nonce` checked in the ID token, whose signature (the
provider's JWKS), issuer, audience and expiry Authlib verifies. Every failure is an `OidcFailed`
with a message for the login page.
"""

import logging
from functools import lru_cache

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.django_client import OAuth
from django.conf import settings

logger = logging.getLogger(__name__)

UNAVAILABLE = "Single sign-on is unavailable right now; try again in a moment, or sign in with a password."


class OidcFailed(Exception):
    """The provider could not be reached, or refused, or answered something that does not check out."""


@lru_cache(maxsize=4)
def client_for(issuer: str, client_id: str, client_secret: str):
    """One client per configuration; it keeps the provider's metadata once fetched."""
    return OAuth().register(
        name="oidc",
        client_id=client_id,
        client_secret=client_secret,
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256", "default_timeout": 10},
    )


def client():
    return client_for(settings.OIDC_ISSUER, settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET)


def authorize_redirect(request, redirect_uri: str):
    """The redirect to the provider's authorization endpoint, its state and PKCE verifier kept in the session."""
    oidc = client()
    try:
        metadata = oidc.load_server_metadata()
        if metadata.get("issuer", "").rstrip("/") != settings.OIDC_ISSUER:
            raise OAuthError(description=f"the discovery document names another issuer ({metadata.get('issuer')})")
        return oidc.authorize_redirect(request, redirect_uri)
    except (requests.RequestException, ValueError, OAuthError) as error:
        logger.warning("OpenID Connect discovery at %s failed: %s", settings.OIDC_ISSUER, error)
        raise OidcFailed(UNAVAILABLE) from error


def verified_claims(request) -> dict:
    """The claims of the person the provider sent back (ID token, plus userinfo when it lacks the e-mail)."""
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
        return claims
    except OAuthError as error:
        logger.info("Single sign-on refused: %s %s", error.error, error.description)
        raise OidcFailed(refusal_message(error)) from error
    except (requests.RequestException, ValueError) as error:
        logger.warning("Single sign-on failed talking to %s: %s", settings.OIDC_ISSUER, error)
        raise OidcFailed(UNAVAILABLE) from error


def refusal_message(error: OAuthError) -> str:
    if error.error == "access_denied":
        return f"Sign-in with {settings.OIDC_NAME} was cancelled."
    if error.error == "mismatching_state":
        return "That sign-in link was stale or not started here; start again with the button below."
    return f"Sign-in with {settings.OIDC_NAME} did not succeed ({error.description or error.error}). Try again."
