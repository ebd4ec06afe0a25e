"""Datamill as an OAuth2 provider: the PKCE policy, the consent page and the applications pages.

django-oauth-toolkit runs the protocol (`/oauth/authorize/`, `/oauth/token/`,
`/oauth/revoke_token/`); this module decides what is Datamill's own: public clients must use
PKCE (S256), the consent page is one of our pages, and people register and revoke
applications on `/accounts/apps/` and `/accounts/settings/`.
"""

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from oauth2_provider import oauth2_validators
from oauth2_provider.models import Application
from oauth2_provider.views import AuthorizationView

from apps.accounts import selectors, services
from apps.accounts.forms import ApplicationForm


class OAuth2Validator(oauth2_validators.OAuth2Validator):
    """The toolkit's validator with one policy of ours: PKCE is required for public clients."""

    def is_pkce_required(self, client_id, request):
        application = Application.objects.filter(client_id=client_id).only("client_type").first()
        # An unknown client fails later with invalid_client; asking for PKCE does no harm.
        return application is None or application.client_type == Application.CLIENT_PUBLIC


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
