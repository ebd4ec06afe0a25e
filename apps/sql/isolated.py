"""The runner's two entry points, each run in an isolated child process (dataplane/engine/isolation.py).

Same arguments and answers as `runner.run_rows` and `runner.run_to_parquet`; the memory and time limits are
the budget's, held by the operating system and by the parent's kill, so a statement can neither grow this
process (web or Celery worker) nor outlast its limit. Cancel (`should_stop`) kills the child; progress comes
back from it. Each run spills into a folder of its own, removed here even when the child was killed.
"""

import dataclasses
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings

from dataplane.engine import isolation
from dataplane.sql import runner


def pool_options() -> dict[str, int]:
    return {"children": settings.QUERY_CHILDREN, "warm": settings.QUERY_CHILDREN_WARM}


def _run(target: str, budget: runner.Budget, kwargs: dict[str, Any], spent_s: float = 0.0, **options: Any) -> Any:
    spill = Path(tempfile.mkdtemp(prefix="datamill-run-", dir=budget.spill_parent))
    # the child's own interrupt fires when what is left of the time limit has passed
    left = max(0.1, budget.timeout_s - spent_s)
    try:
        return isolation.run(
            target,
            kwargs={**kwargs, "budget": dataclasses.replace(budget, spill_parent=spill, timeout_s=left)},
            memory_limit=budget.memory_limit,
            timeout_s=budget.timeout_s,
            spent_s=spent_s,
            error=runner.RunError,
            answer_max_bytes=settings.QUERY_ANSWER_MAX_BYTES,
            **pool_options(),
            **options,
        )
    finally:
        shutil.rmtree(spill, ignore_errors=True)


def run_rows(sql: str, *, budget: runner.Budget, spent_s: float = 0.0, **kwargs: Any) -> dict[str, Any]:
    """`runner.run_rows` in a child: `{columns, rows, truncated}`, or RunError as it says. `spent_s` (what the
    request took before) counts against the time limit, so the answer comes within the limit plus a second."""
    return _run("dataplane.sql.runner:run_rows", budget, {"sql": sql, **kwargs}, spent_s=spent_s)


def run_to_parquet(
    sql: str,
    *,
    destination: Path,
    budget: runner.Budget,
    on_progress: Callable[[float], None] = lambda fraction: None,
    should_stop: Callable[[], bool] = lambda: False,
    **kwargs: Any,
) -> dict[str, Any]:
    """`runner.run_to_parquet` in a child; a cancel or a kill leaves no partial file behind."""
    try:
        return _run(
            "dataplane.sql.runner:run_to_parquet",
            budget,
            {"sql": sql, "destination": destination, **kwargs},
            on_progress=on_progress,
            should_stop=should_stop,
        )
    except runner.RunError:
        destination.with_name(destination.name + ".partial").unlink(missing_ok=True)
        raise
