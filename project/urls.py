from csp.decorators import csp_update
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from oauth2_provider import views as oauth2_views

from apps.accounts import oauth as account_oauth
from apps.accounts import views as account_views
from apps.core import health
from apps.core.metrics import metrics_view
from project.views import home_view

urlpatterns = [
    path("", home_view, name="home"),
    path("accounts/", include("apps.accounts.urls")),
    path("w/new/", account_views.workspace_create_view, name="workspace-new"),
    path("w/<slug:workspace>/", account_views.workspace_view, name="workspace"),
    path(
        "w/<slug:workspace>/members/<int:user_id>/remove/",
        account_views.member_remove_view,
        name="workspace-member-remove",
    ),
    # Invitations and Datamill as an OAuth2 provider.
    path("w/<slug:workspace>/invitations/", account_views.invitation_create_view, name="workspace-invite"),
    path(
        "w/<slug:workspace>/invitations/<int:pk>/revoke/",
        account_views.invitation_revoke_view,
        name="workspace-invitation-revoke",
    ),
    path("invite/<slug:token>/", account_views.invite_view, name="invite"),
    path(
        "oauth/",
        include(
            (
                [
                    path("authorize/", account_oauth.ConsentView.as_view(), name="authorize"),
                    path("token/", oauth2_views.TokenView.as_view(), name="token"),
                    path("revoke_token/", oauth2_views.RevokeTokenView.as_view(), name="revoke-token"),
                ],
                "oauth2_provider",
            )
        ),
    ),
    path("", include("apps.audit.urls")),
    path("", include("apps.integrations.urls")),
    path("", include("apps.dashboards.urls")),
    path("", include("apps.sql.urls")),  # before datasets: /w/<workspace>/sql/ is not a dataset
    path("", include("apps.datasets.urls")),
    path("api/v1/", include("project.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI sets inline styles; scripts stay restricted to our own files.
    path(
        "api/docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics_view, name="metrics"),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on pages that name no icon (the browsable API, files).
    path("favicon.ico", RedirectView.as_view(url=static("img/favicon.svg"), permanent=True)),
]
