"""Props of the recipe island, mirroring frontend/islands/recipe/props.ts."""

from django.conf import settings
from django.urls import reverse

from apps.datasets.models import Dataset, Version
from apps.datasets.recipes.selectors import recipe_of

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
