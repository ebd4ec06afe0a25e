from django.urls import path

from apps.audit.views import activity_view

app_name = "audit"

urlpatterns = [path("w/<slug:workspace>/activity/", activity_view, name="activity")]
