"""Reads of recipes that pages, the API and version creation share."""

from apps.datasets.models import Dataset, Recipe


def recipe_of(dataset: Dataset) -> Recipe:
    """The dataset's recipe; an unsaved empty one (revision 0) before its first save."""
    return Recipe.objects.filter(dataset=dataset).first() or Recipe(dataset=dataset, steps=[], revision=0)


def recipe_snapshot(dataset: Dataset) -> dict:
    """The fields a new version records: the recipe it will be built with."""
    recipe = recipe_of(dataset)
    return {"recipe_revision": recipe.revision, "recipe_steps": recipe.steps}
