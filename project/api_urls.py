"""/api/v1/: every endpoint of the public API."""

from django.urls import include, path
from rest_framework.routers import APIRootView, DefaultRouter

from apps.accounts.api import MeView, TokenViewSet, WorkspaceViewSet
from apps.accounts.jwt_api import JwtObtainView, JwtRefreshView, JwtRevokeView
from apps.audit.api import WorkspaceAuditView
from apps.dashboards.api.views import ChartViewSet, DashboardViewSet, SharedDashboardViewSet
from apps.datasets.api import recipes as recipe_api
from apps.datasets.api.views import DatasetViewSet
from apps.jobs.api import JobViewSet
from apps.live.api import NotificationViewSet
from apps.sql.api.views import QueryHistoryView, SavedQueryViewSet, SqlResultExportView, SqlResultRowsView, SqlView


class DatamillApiRoot(APIRootView):
    """The Datamill REST API: datasets and their immutable versions (rows, aggregates, exports),
    background jobs, saved charts, dashboards and share links, workspaces and personal tokens.

    Sign in for the browsable pages, or send `Authorization: Bearer <token>` from scripts (tokens are
    made on the settings page). Every list is paginated; every error is `{"error": {"code", "message",
    "details"}}`. The reference with request and response shapes is at /api/docs/.
    """

    def get_view_name(self) -> str:
        return "Datamill API"


class ApiRouter(DefaultRouter):
    """The router whose root also lists the non-resource endpoints."""

    APIRootView = DatamillApiRoot

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
router.register("queries", SavedQueryViewSet, basename="query")

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("workspaces/<slug:slug>/audit/", WorkspaceAuditView.as_view(), name="workspace-audit"),
    # SQL over datasets (apps/sql)
    path("sql/", SqlView.as_view(), name="sql"),
    path("sql/history/", QueryHistoryView.as_view(), name="sql-history"),
    path("sql/results/<uuid:job_id>/rows/", SqlResultRowsView.as_view(), name="sql-result-rows"),
    path("sql/results/<uuid:job_id>/export/", SqlResultExportView.as_view(), name="sql-result-export"),
    path("auth/jwt/", JwtObtainView.as_view(), name="jwt-obtain"),
    path("auth/jwt/refresh/", JwtRefreshView.as_view(), name="jwt-refresh"),
    path("auth/jwt/revoke/", JwtRevokeView.as_view(), name="jwt-revoke"),
    *router.urls,
]
urlpatterns += recipe_api.urlpatterns
# Refresh schedules, webhooks and version diffs: paths under datasets/ and workspaces/ the router does not make.
urlpatterns += [path("", include("apps.integrations.api.urls")), path("", include("apps.datasets.api.diff"))]
