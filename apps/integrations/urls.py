from django.urls import path

from apps.integrations import views

app_name = "integrations"

urlpatterns = [
    path("w/<slug:workspace>/settings/", views.settings_view, name="settings"),
    path("w/<slug:workspace>/settings/webhooks/<str:webhook_id>/test/", views.webhook_test_view, name="webhook-test"),
    path(
        "w/<slug:workspace>/settings/webhooks/<str:webhook_id>/delete/",
        views.webhook_delete_view,
        name="webhook-delete",
    ),
    path("w/<slug:workspace>/<slug:dataset>/schedule/", views.schedule_view, name="schedule"),
    path("w/<slug:workspace>/<slug:dataset>/refresh/", views.refresh_now_view, name="refresh"),
]
