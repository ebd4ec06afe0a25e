"""JWT for front ends deployed apart: obtain, refresh (rotated) and revoke.

A refresh token is used once: refreshing blacklists it and answers a new pair, so a stolen
refresh token that was already used is refused. Failed sign-ins count against the same limits as
the login page (apps.accounts.login_throttle). Changing or resetting a password ends every
token issued before (simplejwt's CHECK_REVOKE_TOKEN claim, checked here on refresh too).
"""

from django.contrib.auth import authenticate
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import TokenBackendError, TokenBackendExpiredToken, TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.state import token_backend
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.utils import get_md5_hash_password

from apps.accounts import login_throttle
from apps.accounts.models import TokenScope, User

REFRESH_REFUSED = "This refresh token is invalid, expired or revoked; sign in again."


class JwtObtainSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
    scope = serializers.ChoiceField(
        choices=TokenScope.choices,
        default=TokenScope.WRITE,
        help_text="`read` gives tokens that cannot write; `write` (the default) may do what the account may.",
    )


class JwtPairSerializer(serializers.Serializer):
    access = serializers.CharField(help_text="Send as `Authorization: Bearer <access>`; short-lived.")
    refresh = serializers.CharField(help_text="Trade for a new pair at /api/v1/auth/jwt/refresh/; usable once.")


class JwtRefreshSerializer(serializers.Serializer):
    refresh = serializers.CharField()


def token_pair(user: User, scope: str) -> dict:
    refresh = RefreshToken.for_user(user)
    refresh["scope"] = scope  # copied into every access token made from it
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


@transaction.atomic
def refresh_rotate(value: str) -> dict:
    """A new pair for a refresh token, which is blacklisted; AuthenticationFailed if it cannot be used."""
    try:
        refresh = RefreshToken(value)
    except TokenError as error:
        raise exceptions.AuthenticationFailed(REFRESH_REFUSED, code="token_not_valid") from error
    # Locked, so two requests with the same refresh token cannot both be answered.
    tokens = OutstandingToken.objects.select_for_update(of=("self",)).order_by("pk")
    outstanding = tokens.filter(jti=refresh["jti"]).first()
    if outstanding is None or BlacklistedToken.objects.filter(token=outstanding).exists():
        raise exceptions.AuthenticationFailed(REFRESH_REFUSED, code="token_not_valid")
    user = User.objects.filter(pk=refresh.get(jwt_settings.USER_ID_CLAIM), is_active=True).first()
    if user is None or refresh.get(jwt_settings.REVOKE_TOKEN_CLAIM) != get_md5_hash_password(user.password):
        raise exceptions.AuthenticationFailed(REFRESH_REFUSED, code="token_not_valid")
    BlacklistedToken.objects.create(token=outstanding)
    refresh.set_jti()
    refresh.set_exp()
    refresh.set_iat()
    refresh.outstand()
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


def refresh_revoke(value: str) -> None:
    """Blacklist a refresh token; revoking one already revoked is fine. ValidationError if forged."""
    try:
        payload = token_backend.decode(value, verify=True)
    except TokenBackendExpiredToken:
        return  # it already stopped working
    except TokenBackendError as error:
        raise exceptions.ValidationError({"refresh": ["This is not a refresh token that Datamill issued."]}) from error
    if payload.get(jwt_settings.TOKEN_TYPE_CLAIM) != "refresh":
        raise exceptions.ValidationError({"refresh": ["This is an access token; send the refresh token."]})
    outstanding = OutstandingToken.objects.filter(jti=payload[jwt_settings.JTI_CLAIM]).first()
    if outstanding is not None:
        BlacklistedToken.objects.get_or_create(token=outstanding)


class JwtView(APIView):
    """Token endpoints: no session and no bearer header are read, so a stale one is never a 401."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    def get_authenticate_header(self, request) -> str:
        return "Bearer"


class JwtObtainView(JwtView):
    """Sign in with an e-mail address and a password; answers an access and a refresh token.

    Failed attempts count against the sign-in limits of the login page; reaching one answers 429.
    """

    @extend_schema(request=JwtObtainSerializer, responses={200: JwtPairSerializer}, tags=["auth"])
    def post(self, request):
        serializer = JwtObtainSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email = serializer.validated_data["email"].lower()
        ip = login_throttle.client_ip(request)
        refusal = login_throttle.blocked(email=email, ip=ip)
        if refusal:
            raise exceptions.Throttled(wait=refusal[1], detail=refusal[0])
        user = authenticate(request._request, email=email, password=serializer.validated_data["password"])
        if user is None or not user.is_active:
            login_throttle.record_failure(email=email, ip=ip)
            raise exceptions.AuthenticationFailed("That email and password do not match an account.")
        login_throttle.record_success(email=email, ip=ip)
        return Response(token_pair(user, serializer.validated_data["scope"]))


class JwtRefreshView(JwtView):
    """Trade a refresh token for a new pair. The old refresh token is blacklisted: using it again is a 401."""

    @extend_schema(request=JwtRefreshSerializer, responses={200: JwtPairSerializer}, tags=["auth"])
    def post(self, request):
        serializer = JwtRefreshSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(refresh_rotate(serializer.validated_data["refresh"]))


class JwtRevokeView(JwtView):
    """Sign out a front end: its refresh token stops working. Access tokens expire on their own (minutes)."""

    @extend_schema(request=JwtRefreshSerializer, responses={204: None}, tags=["auth"])
    def post(self, request):
        serializer = JwtRefreshSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        refresh_revoke(serializer.validated_data["refresh"])
        return Response(status=status.HTTP_204_NO_CONTENT)
