from django.urls import path

from apps.datasets import compare, views
from apps.datasets.recipes import views as recipe_views

app_name = "datasets"

urlpatterns = [
    path("datasets/", views.catalog_view, name="catalog"),
    path("datasets/new/", views.dataset_new_view, name="new"),
    path("w/<slug:workspace>/<slug:dataset>/", views.dataset_view, name="detail"),
    path("w/<slug:workspace>/<slug:dataset>/v/<int:number>/", views.version_view, name="version"),
    path("w/<slug:workspace>/<slug:dataset>/edit/", views.dataset_edit_view, name="edit"),
    path("w/<slug:workspace>/<slug:dataset>/delete/", views.dataset_delete_view, name="delete"),
    path("w/<slug:workspace>/<slug:dataset>/versions/new/", views.version_new_view, name="version-new"),
    path("w/<slug:workspace>/<slug:dataset>/recipe/", recipe_views.recipe_view, name="recipe"),
    path("w/<slug:workspace>/<slug:dataset>/recipe/order/", recipe_views.recipe_order_view, name="recipe-order"),
    path("w/<slug:workspace>/<slug:dataset>/compare/", compare.compare_view, name="compare"),
]
