"""/api/v1/: every endpoint of the public API."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from apps.accounts.api import MeView, TokenViewSet, WorkspaceViewSet
from apps.accounts.jwt_api import JwtObtainView, JwtRefreshView, JwtRevokeView
from apps.audit.api import WorkspaceAuditView
from apps.dashboards.api.views import ChartViewSet, DashboardViewSet, SharedDashboardViewSet
from apps.datasets.api import recipes as recipe_api
from apps.datasets.api.views import DatasetViewSet
from apps.jobs.api import JobViewSet
from apps.live.api import NotificationViewSet


class ApiRouter(DefaultRouter):
    """The router whose root also lists the non-resource endpoints."""

    def get_api_root_view(self, api_urls=None):
        list_name = self.routes[0].name
        root = {"me": "me"}
        root.update({prefix: list_name.format(basename=basename) for prefix, _, basename in self.registry})
        return self.APIRootView.as_view(api_root_dict=root)


app_name = "api"

router = ApiRouter()
router.register("tokens", TokenViewSet, basename="token")
router.register("workspaces", WorkspaceViewSet, basename="workspace")
router.register("jobs", JobViewSet, basename="job")
router.register("datasets", DatasetViewSet, basename="dataset")
router.register("charts", ChartViewSet, basename="chart")
router.register("dashboards", DashboardViewSet, basename="dashboard")
router.register("shared", SharedDashboardViewSet, basename="shared-dashboard")
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("workspaces/<slug:slug>/audit/", WorkspaceAuditView.as_view(), name="workspace-audit"),
    path("auth/jwt/", JwtObtainView.as_view(), name="jwt-obtain"),
    path("auth/jwt/refresh/", JwtRefreshView.as_view(), name="jwt-refresh"),
    path("auth/jwt/revoke/", JwtRevokeView.as_view(), name="jwt-revoke"),
    *router.urls,
]
urlpatterns += recipe_api.urlpatterns
# Refresh schedules, webhooks and version diffs: paths under datasets/ and workspaces/ the router does not make.
urlpatterns += [path("", include("apps.integrations.api.urls")), path("", include("apps.datasets.api.diff"))]
