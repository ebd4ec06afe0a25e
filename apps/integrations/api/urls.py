"""/api/v1/ paths of the integrations, included by project/api_urls.py."""

from django.urls import path

from apps.integrations.api.views import RefreshView, ScheduleView, WebhookViewSet

urlpatterns = [
    path("datasets/<str:pk>/schedule/", ScheduleView.as_view(), name="dataset-schedule"),
    path("datasets/<str:pk>/refresh/", RefreshView.as_view(), name="dataset-refresh"),
    path(
        "workspaces/<slug:workspace>/webhooks/",
        WebhookViewSet.as_view({"get": "list", "post": "create"}),
        name="webhook-list",
    ),
    path(
        "workspaces/<slug:workspace>/webhooks/<str:pk>/",
        WebhookViewSet.as_view({"delete": "destroy"}),
        name="webhook-detail",
    ),
    path(
        "workspaces/<slug:workspace>/webhooks/<str:pk>/deliveries/",
        WebhookViewSet.as_view({"get": "deliveries"}),
        name="webhook-deliveries",
    ),
    path(
        "workspaces/<slug:workspace>/webhooks/<str:pk>/test/",
        WebhookViewSet.as_view({"post": "test"}),
        name="webhook-test",
    ),
]
