"""The recipe's preview and build (dataplane/recipes/) in isolated child processes, with this deployment's limits.

The data plane takes its limits as arguments; here they come from settings: the preview holds SQL_MEMORY_LIMIT and
the request's time limit, the build the ingest's memory limit and the Celery task's time limit less a margin.
"""

from pathlib import Path
from typing import Any

from django.conf import settings

from apps.sql.isolated import pool_options
from dataplane.recipes import build, preview


def recipe_preview_isolated(
    path: Path, columns: list[dict], raw_steps: Any, *, timeout_s: float, date_order: str = "MDY"
) -> dict:
    """`dataplane.recipes.preview.recipe_preview` in an isolated child; raises QueryError as it does."""
    return preview.recipe_preview_isolated(
        path,
        columns,
        raw_steps,
        timeout_s=timeout_s,
        date_order=date_order,
        memory_limit=settings.SQL_MEMORY_LIMIT,
        answer_max_bytes=settings.QUERY_ANSWER_MAX_BYTES,
        **pool_options(),
    )


def build_version_file(**arguments: Any) -> build.BuiltFile:
    """`dataplane.recipes.build.build_version_file` (same keyword arguments) within the Celery task's time
    limit; raises RecipeFailed (a JobError) as it does."""
    return build.build_version_file(**arguments, timeout_s=settings.CELERY_TASK_SOFT_TIME_LIMIT - 30, **pool_options())
