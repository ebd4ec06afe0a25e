"""`Authorization: Bearer <token>` for the API: personal tokens, JWTs and OAuth2 access tokens.

One authenticator reads the header and routes the value by its form, so a credential of one
kind is never judged (and refused with a 401) by the checker of another: personal tokens start
with `dm_`, a JWT is three dot-separated parts, anything else is an OAuth2 access token.
Every credential it returns has `scope` ("read" or "write") and `can_write`, which
TokenScopePermission reads.
"""

from dataclasses import dataclass

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework import authentication, exceptions
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed as JwtAuthenticationFailed
from rest_framework_simplejwt.exceptions import InvalidToken

from apps.accounts.models import ApiToken, TokenScope
from apps.accounts.services import token_authenticate


@dataclass(frozen=True)
class Credential:
    """A bearer credential other than a personal token: a JWT or an OAuth2 access token."""

    kind: str  # "jwt" or "oauth"
    scope: str  # "read" or "write"
    token: object

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.WRITE


def credential_kind(value: str) -> str:
    if value.startswith(ApiToken.SECRET_PREFIX):
        return "personal"
    if value.count(".") == 2:
        return "jwt"
    return "oauth"


def scope_of_oauth_token(access_token) -> str:
    return TokenScope.WRITE if access_token.allow_scopes(["write"]) else TokenScope.READ


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """A bearer token of any kind. Token requests need no CSRF token: no cookie is involved."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        parts = header.split()
        if parts[0].lower() != self.keyword.lower():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Send the header as `Authorization: Bearer <token>`.")
        value = parts[1]
        kind = credential_kind(value)
        if kind == "personal":
            return self.authenticate_personal(value)
        if kind == "jwt":
            return self.authenticate_jwt(value)
        return self.authenticate_oauth(request)

    def authenticate_personal(self, value: str):
        token = token_authenticate(value)
        if token is None:
            raise exceptions.AuthenticationFailed("This API token is invalid, expired or revoked.")
        return token.user, token

    def authenticate_jwt(self, value: str):
        checker = JWTAuthentication()
        try:
            validated = checker.get_validated_token(value.encode())
            user = checker.get_user(validated)
        except (InvalidToken, JwtAuthenticationFailed) as error:
            raise exceptions.AuthenticationFailed(
                "This access token is invalid, expired or revoked; refresh it or sign in again.",
                code="token_not_valid",
            ) from error
        scope = TokenScope.READ if validated.get("scope") == TokenScope.READ else TokenScope.WRITE
        return user, Credential(kind="jwt", scope=scope, token=validated)

    def authenticate_oauth(self, request):
        result = OAuth2Authentication().authenticate(request)
        if result is None:
            raise exceptions.AuthenticationFailed("This OAuth2 access token is invalid, expired or revoked.")
        user, access_token = result
        if user is None or not user.is_active:  # a client's own token acts for nobody here
            raise exceptions.AuthenticationFailed("This OAuth2 access token does not act for an active account.")
        return user, Credential(kind="oauth", scope=scope_of_oauth_token(access_token), token=access_token)

    def authenticate_header(self, request) -> str:
        return self.keyword


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "apps.accounts.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A personal API token (dm_…), a JWT access token from /api/v1/auth/jwt/, "
                "or an OAuth2 access token from /oauth/token/."
            ),
        }
