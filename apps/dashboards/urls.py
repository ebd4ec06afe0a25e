from django.urls import path

from apps.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("w/<slug:workspace>/dashboards/new/", views.dashboard_new_view, name="new"),
    path("w/<slug:workspace>/dashboards/<slug:slug>/", views.dashboard_view, name="detail"),
    path("w/<slug:workspace>/<slug:dataset>/explore/", views.explore_view, name="explore"),
    path("s/<str:token>/", views.shared_dashboard_view, name="shared"),
]
