"""The recipe preview: the first rows after the steps, and what each step did, on the current version.

Nothing is saved. The steps run over the version's *inferred* file (what the ingest made of its source, before
any recipe), exactly as a new version would be built, except that a cast to text of a typed column shows the
typed value printed as text (the build gives the text as written in the file).

Counts (rows kept, values changed, failed casts) come from one aggregate over the stacked steps. They are
exact over the whole version up to `EXACT_COUNT_ROWS` rows; a bigger version is counted over its first
`EXACT_COUNT_ROWS` rows, and the answer says so (`counted_rows`, `sampled`): casting 5M values alone takes
over a second, far past what a preview that follows every keystroke may cost.
"""

from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from dataplane.engine import isolation
from dataplane.engine.errors import QueryError
from dataplane.engine.output import json_value
from dataplane.engine.recipe import CompiledRecipe, compile_recipe
from dataplane.engine.running import Deadline, fetchall, pooled_connection
from dataplane.engine.schema import Schema
from dataplane.engine.source import ParquetSource
from dataplane.engine.sql import Fragment

from .steps import parse_steps
from .temporal_formats import proposed_formats

PREVIEW_ROWS = 100
EXACT_COUNT_ROWS = 100_000
ERROR_EXAMPLES = 5


def recipe_preview_isolated(
    path: Path,
    columns: list[dict],
    raw_steps: Any,
    *,
    timeout_s: float,
    memory_limit: str,
    answer_max_bytes: int,
    children: int,
    warm: int,
    date_order: str = "MDY",
) -> dict:
    """`recipe_preview` in an isolated child process (engine/isolation.py): a `derive` step runs an expression a
    person wrote, so `memory_limit` and `timeout_s` are held by the operating system. Raises QueryError as
    `recipe_preview` does, with the codes `query_too_large` and `query_timeout` past those limits. `children`
    and `warm` size the pool of those processes (the caller's settings)."""
    return isolation.run(
        "dataplane.recipes.preview:recipe_preview",
        kwargs={
            "path": Path(path),
            "columns": columns,
            "raw_steps": raw_steps,
            "timeout_s": timeout_s,
            "date_order": date_order,
        },
        memory_limit=memory_limit,
        timeout_s=timeout_s,
        error=QueryError,
        answer_max_bytes=answer_max_bytes,
        children=children,
        warm=warm,
    )


def recipe_preview(
    path: Path, columns: list[dict], raw_steps: Any, *, timeout_s: float | None = None, date_order: str = "MDY"
) -> dict:
    """`{columns, rows, steps: [{op, rows_after, values_changed, errors, error_examples}], counted_rows, sampled}`
    for the steps over the inferred file at `path` (whose schema is `columns`). Raises QueryError (a 400) for
    a step that does not fit, naming it; QueryTimeout past `timeout_s`."""
    steps = parse_steps(raw_steps)
    row_count = pq.ParquetFile(path).metadata.num_rows  # the footer only
    source = ParquetSource(Path(path), Schema(columns))
    whole = source.relation(row_id=True)
    shown = compile_recipe(whole, columns, steps, row_id=source.row_id)
    sampled = row_count > EXACT_COUNT_ROWS
    counted = shown
    if sampled:
        # the first rows in file order; the row-id filter lets the scan stop at the row groups after them
        head = f"WHERE {source.row_id} < {EXACT_COUNT_ROWS}" if source.cheap_row_id else f"LIMIT {EXACT_COUNT_ROWS}"
        first = Fragment("(SELECT * FROM ") + whole + Fragment(f" AS whole {head})")
        counted = compile_recipe(first, columns, steps, row_id=source.row_id)
    with pooled_connection(source.directory) as db, Deadline(db, timeout_s):
        rows = fetchall(db, shown.output(limit=PREVIEW_ROWS))
        counts = fetchall(db, counted.counters())[0] if steps else ()
        step_answers = _step_answers(db, counted, steps, counts, date_order)
    names = [column.name for column in shown.columns]
    return {
        "columns": [{"name": c.name, "type": c.type, "format": c.format} for c in shown.columns],
        "rows": [{name: json_value(value) for name, value in zip(names, row, strict=True)} for row in rows],
        "steps": step_answers,
        "counted_rows": min(row_count, EXACT_COUNT_ROWS) if sampled else row_count,
        "sampled": sampled,
    }


def _step_answers(db, recipe: CompiledRecipe, steps: list[dict], counts, date_order: str) -> list[dict]:
    answers = []
    for index, (step, compiled) in enumerate(zip(steps, recipe.steps, strict=True)):
        rows_after, changed, failed = counts[3 * index : 3 * index + 3]
        answer = {
            "op": step["op"],
            "rows_after": int(rows_after),
            "values_changed": int(changed),
            "errors": int(failed),
            "error_examples": [],
        }
        if failed and compiled.failed_condition is not None:
            examples = (
                Fragment(f"SELECT DISTINCT left(CAST({compiled.failed_value} AS VARCHAR), 80) FROM (")  # noqa: S608
                + compiled.before
                + Fragment(") AS before WHERE keep AND ")
                + compiled.failed_condition
                + Fragment(f" LIMIT {ERROR_EXAMPLES}")
            )
            answer["error_examples"] = sorted(row[0] for row in fetchall(db, examples))
        if compiled.cast_from_text is not None:
            answer["formats"] = proposed_formats(db, compiled.before, compiled.cast_from_text, order=date_order)
        answers.append(answer)
    return answers
