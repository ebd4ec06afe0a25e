"""The recipe page (types and clean-up steps with a live preview: the recipe island), and the dataset page's
switch of an assumed day/month order."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apps.core import permissions
from apps.datasets import selectors
from apps.datasets.recipes.islands import recipe_island_props
from apps.datasets.recipes.selectors import recipe_of
from apps.datasets.recipes.services import recipe_switch_order
from dataplane.engine.errors import QueryError


def recipe_view(request, workspace: str, dataset: str):
    """Types and clean-up steps: members of the dataset's workspace read the steps; editors change them, and
    only they get the island, which shows the data before the recipe (inferred columns, before/after values).
    A public dataset's outside readers get a 403: the recipe is the workspace's own."""
    dataset_obj = selectors.dataset_for(request.user, workspace__slug=workspace, slug=dataset)
    permissions.require(request.user, permissions.VIEW, dataset_obj.workspace)
    can_change = permissions.can(request.user, permissions.CHANGE, dataset_obj.workspace)
    version = dataset_obj.current_version
    column = request.GET.get("column", "")[:200]
    context = {
        "dataset": dataset_obj,
        "version": version,
        "recipe": recipe_of(dataset_obj),
        "can_change": can_change,
        "column": column,
        "recipe_props": (
            recipe_island_props(dataset=dataset_obj, version=version, can_change=True, column=column)
            if can_change
            else None
        ),
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
