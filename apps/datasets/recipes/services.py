"""Saving a dataset's recipe: the next revision, and a new version derived from the current version's source."""

import os
import shutil

from django.db import transaction

from apps.accounts.models import User
from apps.audit.services import audit_record
from apps.datasets.models import Dataset, Recipe, Version
from apps.datasets.services import version_create
from apps.jobs.models import Job
from dataplane.engine.errors import QueryError
from dataplane.engine.recipe import compile_recipe
from dataplane.engine.sql import Fragment
from dataplane.recipes.steps import parse_steps

from .selectors import recipe_of


class RecipeRefused(QueryError):
    """The recipe cannot be saved now (no ready version to derive from, or its source was not kept)."""


def check_steps(steps, columns: list[dict]) -> list[dict]:
    """The steps with defaults filled in, checked against `columns`; QueryError (naming the step) if not."""
    parsed = parse_steps(steps)
    compile_recipe(Fragment("x"), columns, parsed)
    return parsed


@transaction.atomic
def recipe_save(*, dataset: Dataset, steps, saved_by: User | None) -> tuple[Recipe, Version, Job]:
    """Save the steps as the recipe's next revision and queue a version built from the current version's
    source with them (the job follows once this transaction commits). Raises QueryError for steps that do not
    fit the current version's columns, RecipeRefused when there is nothing to derive from."""
    Dataset.objects.select_for_update().filter(pk=dataset.pk).first()  # serialises revisions and version numbers
    dataset.refresh_from_db(fields=["current_version"])
    current = dataset.current_version
    if current is None or not current.is_ready:
        raise RecipeRefused("no_version", "The dataset has no ready version to apply a recipe to yet.")
    if not current.source_path.exists():
        raise RecipeRefused(
            "source_missing",
            f"Version {current.number}'s source file was not kept (it was added before recipes existed). "
            "Upload the file again; its next versions keep their source.",
        )
    parsed = check_steps(steps, current.schema_before_recipe)
    recipe, _ = Recipe.objects.get_or_create(dataset=dataset)
    recipe.steps = parsed
    recipe.revision += 1
    recipe.updated_by = saved_by
    recipe.save()
    audit_record(
        action="recipe.changed", workspace=dataset.workspace, target=dataset, actor=saved_by,
        details={"revision": recipe.revision, "steps": len(parsed)},
    )  # fmt: skip
    # version_create records the recipe just saved; the source is shared before the job is sent (on commit)
    version, job = version_create(
        dataset=dataset, created_by=saved_by, source_kind="recipe", source_name=current.source_name
    )
    Version.objects.filter(pk=version.pk).update(source_size=current.source_size)
    version.source_size = current.source_size
    share_source(current.source_path, version.source_path)
    return recipe, version, job


def share_source(kept: os.PathLike, target: os.PathLike) -> None:
    """The same source for the derived version: a hard link (no copy) where the file system allows one."""
    os.makedirs(os.path.dirname(target), exist_ok=True)
    try:
        os.link(kept, target)
    except FileExistsError:
        pass
    except OSError:
        shutil.copyfile(kept, target)


def recipe_switch_order(*, dataset: Dataset, column: str, saved_by: User | None) -> tuple[Recipe, Version, Job]:
    """Read `column`'s dates with the other day/month order than the one inference assumed: the recipe gets
    a cast step with the schema's `alternative_format` (replacing an earlier cast of that column)."""
    current = dataset.current_version
    entry = next((c for c in (current.columns if current else []) if c["name"] == column), None)
    if entry is None or not entry.get("assumed_order") or not entry.get("alternative_format"):
        raise RecipeRefused("no_assumed_order", f"Column {column!r} has no assumed day/month order to switch.")
    steps = [
        step for step in recipe_of(dataset).steps if not (step.get("op") == "cast" and step.get("column") == column)
    ]
    cast = {"op": "cast", "column": column, "type": entry["type"], "format": entry["alternative_format"]}
    return recipe_save(dataset=dataset, steps=[*steps, {**cast, "on_error": "fail"}], saved_by=saved_by)
