"""Recipes: a dataset's ordered clean-up steps, previewed on the current version and applied to every new one.

The computation is Django-free, in dataplane/recipes/: `steps.py` (the steps' JSON vocabulary and shape checks;
the engine compiles them: dataplane/engine/recipe.py), `preview.py` (the first rows after the steps and, per step,
rows kept, values changed and failed casts), `build.py` (a version's final Parquet file from its inferred one and
its source, in the worker) and `raw_text.py` (the source's fields as written, for casts of typed columns back to
text). Here, around it:

- `isolated.py`: the preview and the build in isolated child processes, with the limits from settings.
- `services.py`: saving a recipe, which derives a new version from the current version's source.
"""
