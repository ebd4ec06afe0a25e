"""The recipe page (types and clean-up steps with a live preview: the recipe island), and the dataset page's
switch of an assumed day/month order."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from apps.core import permissions
from apps.datasets import selectors
from apps.datasets.engine.errors import QueryError
from apps.datasets.models import Dataset, Version
from apps.datasets.recipes.selectors import recipe_of
from apps.datasets.recipes.services import recipe_switch_order

NO_JOB = "00000000-0000-0000-0000-000000000000"


def recipe_island_props(*, dataset: Dataset, version: Version | None, can_change: bool, column: str) -> dict:
    """Props of the recipe island (frontend/islands/recipe)."""
    recipe = recipe_of(dataset)
    columns = version.schema_before_recipe if version is not None and version.is_ready else []
    return {
        "dataset": {"id": str(dataset.pk), "title": dataset.title, "pageUrl": dataset.get_absolute_url()},
        "recipeUrl": reverse("api:dataset-recipe", args=[dataset.pk]),
        "previewUrl": reverse("api:dataset-recipe-preview", args=[dataset.pk]),
        "jobUrlTemplate": reverse("api:job-detail", args=[NO_JOB]).replace(NO_JOB, "{id}"),
        "columns": [{"name": c["name"], "type": c["type"], "format": c.get("format")} for c in columns],
        "steps": recipe.steps,
        "revision": recipe.revision,
        "versionNumber": version.number if version is not None else None,
        "canChange": can_change,
        "focusColumn": column or None,
        "dateOrder": getattr(settings, "DATE_ORDER", "MDY"),
    }


def recipe_view(request, workspace: str, dataset: str):
    """Types and clean-up steps: editors change them, everyone who may read the dataset sees them."""
    dataset_obj = selectors.dataset_for(request.user, workspace__slug=workspace, slug=dataset)
    can_change = permissions.can(request.user, permissions.CHANGE, dataset_obj.workspace)
    version = dataset_obj.current_version
    column = request.GET.get("column", "")[:200]
    context = {
        "dataset": dataset_obj,
        "version": version,
        "recipe": recipe_of(dataset_obj),
        "can_change": can_change,
        "column": column,
        "recipe_props": recipe_island_props(dataset=dataset_obj, version=version, can_change=can_change, column=column),
    }
    return render(request, "datasets/recipe.html", context)


@require_POST
def recipe_order_view(request, workspace: str, dataset: str):
    """The dataset page's one-click switch of an assumed day/month order (saves a cast step)."""
    dataset_obj = selectors.dataset_for(request.user, permissions.CHANGE, workspace__slug=workspace, slug=dataset)
    column = request.POST.get("column", "")
    try:
        _, version, _ = recipe_switch_order(dataset=dataset_obj, column=column, saved_by=request.user)
    except QueryError as error:
        messages.error(request, error.message)
    else:
        messages.info(
            request, f"Version {version.number} is being built with the other day/month order for “{column}”."
        )
    return redirect(dataset_obj.get_absolute_url())
