"""Datamill as an OAuth2 provider: the PKCE policy, the consent page and the applications pages.

django-oauth-toolkit runs the protocol (`/oauth/authorize/`, `/oauth/token/`,
`/oauth/revoke_token/`); this module decides what is Datamill's own: public clients must use
PKCE (S256), the consent page is one of our pages, and people register and revoke
applications on `/accounts/apps/` and `/accounts/settings/`.

Redirect URIs match exactly, port included. The toolkit lets an http://127.0.0.1 or http://[::1] URI match
on any port (RFC 8252 §7.3) for every application; here only a registration that opted in gets that rule
(`OAuthApplicationPolicy.loopback_any_port`). An authorization code exchanged a second time is refused, as
the toolkit does, and the tokens the first exchange gave are revoked too (RFC 6749 §4.1.2): the code leaked,
so whoever holds those tokens may not be the application.
"""

import hashlib
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from oauth2_provider import oauth2_validators
from oauth2_provider.models import AccessToken, Application, RefreshToken, check_redirect_to_uri_allowed
from oauth2_provider.views import AuthorizationView

from apps.accounts import selectors, services
from apps.accounts.forms import ApplicationForm
from apps.accounts.models import AuthorizationCodeUse, OAuthApplicationPolicy

LOOPBACK_HOSTS = ("127.0.0.1", "::1")


def redirect_uri_registered(application: Application, uri: str) -> bool:
    """Whether `uri` is one of the application's redirect URIs: exactly, or on another port of a loopback
    URI when the application opted into RFC 8252's rule."""
    registered = application.redirect_uris.split()
    if uri in registered:
        return check_redirect_to_uri_allowed(uri, [uri])[0]  # the toolkit's refusals (fragments, userinfo) hold
    policy = OAuthApplicationPolicy.objects.filter(application=application).first()
    if policy is None or not policy.loopback_any_port:
        return False
    loopback = [each for each in registered if is_loopback(each)]
    return is_loopback(uri) and check_redirect_to_uri_allowed(uri, loopback)[0]


def is_loopback(uri: str) -> bool:
    parts = urlsplit(uri)
    try:
        return parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS
    except ValueError:
        return False


class OAuth2Validator(oauth2_validators.OAuth2Validator):
    """The toolkit's validator with one policy of ours: PKCE is required for public clients."""

    def is_pkce_required(self, client_id, request):
        application = Application.objects.filter(client_id=client_id).only("client_type").first()
        # An unknown client fails later with invalid_client; asking for PKCE does no harm.
        return application is None or application.client_type == Application.CLIENT_PUBLIC

    def validate_redirect_uri(self, client_id, redirect_uri, request, *args, **kwargs):
        return redirect_uri_registered(request.client, redirect_uri)

    def validate_code(self, client_id, code, client, request, *args, **kwargs):
        if super().validate_code(client_id, code, client, request, *args, **kwargs):
            return True
        used = AuthorizationCodeUse.objects.filter(code_hash=AuthorizationCodeUse.hash_code(code), application=client)
        for replayed in used:
            revoke_tokens_of_code(replayed)
        return False

    def save_bearer_token(self, token, request, *args, **kwargs):
        super().save_bearer_token(token, request, *args, **kwargs)
        if request.grant_type == "authorization_code" and request.code:
            remember_code_use(request.code, request.client, token)


def remember_code_use(code: str, application: Application, token: dict) -> None:
    """Record which tokens an authorization code gave, so a replay of it can revoke them."""
    refresh = None
    if token.get("refresh_token"):
        refresh = RefreshToken.objects.filter(token_checksum=_checksum(token["refresh_token"])).first()
    AuthorizationCodeUse.objects.get_or_create(
        code_hash=AuthorizationCodeUse.hash_code(code),
        defaults={
            "application": application,
            "token_family": refresh.token_family if refresh else None,
            "access_token_checksum": _checksum(token["access_token"]),
        },
    )


def revoke_tokens_of_code(used: AuthorizationCodeUse) -> None:
    """Revoke every token descended from a replayed code: its refresh token family (rotations included) and
    the access token it gave first."""
    if used.token_family:
        RefreshToken.revoke_family(used.token_family)
    AccessToken.objects.filter(token_checksum=used.access_token_checksum).delete()


def _checksum(raw: str) -> str:
    """As the toolkit keeps a token (only its SHA-256 with COMPLIANT_BCP_RFC9700_TOKEN_STORAGE)."""
    return hashlib.sha256(raw.encode()).hexdigest()


def origin_of(url: str) -> str | None:
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None


class ConsentView(AuthorizationView):
    """The consent page: which application asks, for which scopes; allow or deny."""

    template_name = "accounts/consent.html"

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        # The form posts here and we answer with a redirect to the application, which the
        # browser checks against form-action: allow that one origin on this page only.
        origin = origin_of(getattr(self, "oauth2_data", {}).get("redirect_uri", ""))
        if origin:
            response._csp_update = {"form-action": [origin]}
        return response


@login_required
def applications_view(request):
    """The caller's registered applications and the form to register one."""
    form = ApplicationForm(request.POST or None)
    created = secret = None
    if request.method == "POST" and form.is_valid():
        try:
            created, secret = services.oauth_application_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Application “{created.name}” registered.")
            form = ApplicationForm()
    return render(
        request,
        "accounts/apps.html",
        {
            "form": form,
            "applications": selectors.oauth_applications_of(request.user),
            "created": created,
            "secret": secret,
        },
    )


@login_required
@require_POST
def application_delete_view(request, pk: int):
    application = get_object_or_404(selectors.oauth_applications_of(request.user), pk=pk)
    name = application.name
    services.oauth_application_delete(application=application)
    messages.success(request, f"Application “{name}” deleted; its tokens stopped working.")
    return redirect("accounts:apps")


@login_required
@require_POST
def authorization_revoke_view(request, pk: int):
    """Take back the access the caller gave an application (from the settings page)."""
    application = get_object_or_404(Application, pk=pk)
    services.oauth_authorization_revoke(user=request.user, application=application)
    messages.success(request, f"“{application.name}” can no longer act for you.")
    return redirect("accounts:settings")
