"""Where a version's pre-recipe files live: in their own tree, apart from the published files.

    DATA_DIR/datasets/<dataset id>/v<n>.parquet                 the published file (what readers and SQL see)
    DATA_DIR/recipe-inputs/<dataset id>/v<n>.inferred.parquet   type inference's output, before the recipe
    DATA_DIR/recipe-inputs/<dataset id>/sources/v<n>            the source file, kept for recipe changes

Pre-recipe data is for those who may change the recipe, so nothing that grants a published file's folder
(a sandbox, a glob, a backup of "the dataset's folder") can reach it by accident.
"""

import shutil
from pathlib import Path

PUBLISHED = "datasets"
RECIPE_INPUTS = "recipe-inputs"


def recipe_inputs_dir(data_dir: Path | str, dataset_id) -> Path:
    return Path(data_dir) / RECIPE_INPUTS / str(dataset_id)


def _pre_recipe_files(folder: Path) -> list[Path]:
    """The pre-recipe files of one dataset's folder, relative to it (inferred files and kept sources)."""
    if not folder.is_dir():
        return []
    found = [p.relative_to(folder) for p in folder.glob("v*.inferred.parquet") if p.is_file()]
    sources = folder / "sources"
    found += [p.relative_to(folder) for p in sources.glob("*") if p.is_file()] if sources.is_dir() else []
    return sorted(found)


def move_recipe_inputs(data_dir: Path | str, *, back: bool = False) -> int:
    """Move pre-recipe files kept beside published ones (the layout before this tree) into recipe-inputs/,
    or with `back`, return them. Idempotent; answers how many files moved."""
    data_dir = Path(data_dir)
    origin, target = (RECIPE_INPUTS, PUBLISHED) if back else (PUBLISHED, RECIPE_INPUTS)
    root = data_dir / origin
    moved = 0
    for folder in sorted(root.iterdir()) if root.is_dir() else ():
        for relative in _pre_recipe_files(folder):
            destination = data_dir / target / folder.name / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(folder / relative, destination)
            moved += 1
        for empty in (folder / "sources", folder):
            if empty.is_dir() and not any(empty.iterdir()):
                empty.rmdir()
    return moved
