from django.urls import path

from apps.sql import views

app_name = "sql"

urlpatterns = [
    path("w/<slug:workspace>/sql/", views.editor_view, name="editor"),
]
