"""Recipe-preview benchmark: 100 rows after five steps, with every step's counts, on a 5M-row version.

    .venv/bin/python bench/bench_recipe.py              # 5,000,000 rows
    .venv/bin/python bench/bench_recipe.py --rows 200000 --runs 5

The inferred Parquet file is generated once by DuckDB under var/bench/ (text columns as an ingest leaves
them: padded region names, prices written with decimal commas). The preview runs exactly as the API calls
it (steps parsed, compiled, sandboxed pooled connection, JSON-ready answer). The baseline runs the same
compiled SQL (the 100 rows, the counters) on a plain in-memory DuckDB in this process.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from dataplane.engine.recipe import compile_recipe  # noqa: E402
from dataplane.engine.running import close_pooled_connections  # noqa: E402
from dataplane.recipes.preview import EXACT_COUNT_ROWS, PREVIEW_ROWS, recipe_preview  # noqa: E402
from dataplane.recipes.steps import parse_steps  # noqa: E402

GENERATE_SQL = """
COPY (
  SELECT
    i AS id,
    (hash(i, 1) % 200001)::BIGINT - 100000 AS quantity,
    replace(((hash(i, 2) % 100000000)::BIGINT / 100.0)::VARCHAR, '.', ',') AS price,
    '  ' || ['north', 'south', 'east', 'west', 'central'][(hash(i, 5) % 5)::INTEGER + 1] || ' ' AS region,
    'note ' || substr(md5(i::VARCHAR), 1, (hash(i, 7) % 16)::INTEGER + 4) AS comment
  FROM range(1, {rows} + 1) AS numbers(i)
) TO '{path}' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 122880)
"""
COLUMNS = [
    {"name": "id", "original_name": "id", "type": "integer"},
    {"name": "quantity", "original_name": "quantity", "type": "integer"},
    {"name": "price", "original_name": "price", "type": "text"},
    {"name": "region", "original_name": "region", "type": "text"},
    {"name": "comment", "original_name": "comment", "type": "text"},
]
STEPS = [
    {"op": "trim", "columns": ["region"]},
    {"op": "case", "columns": ["region"], "to": "upper"},
    {"op": "cast", "column": "price", "type": "float", "decimal": ",", "on_error": "null"},
    {"op": "filter", "filters": [{"column": "quantity", "op": "gte", "value": 0}]},
    {"op": "rename", "column": "comment", "to": "note"},
]
AIM_MS = 300


def generate(path: Path, rows: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    with duckdb.connect() as db:
        db.execute(GENERATE_SQL.format(rows=rows, path=partial))
    partial.replace(path)


def timed(function, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def baseline(path: Path, rows: int):
    """The same SQL the preview runs, on a plain DuckDB."""
    steps = parse_steps(STEPS)
    relation = "read_parquet(?, file_row_number = true)"
    from dataplane.engine.sql import Fragment

    whole = Fragment(relation, (str(path),))
    shown = compile_recipe(whole, COLUMNS, steps)
    counted = shown
    if rows > EXACT_COUNT_ROWS:
        first = Fragment("(SELECT * FROM ") + whole + Fragment(f" AS whole WHERE file_row_number < {EXACT_COUNT_ROWS})")
        counted = compile_recipe(first, COLUMNS, steps)
    db = duckdb.connect()

    def run() -> None:
        for query in (shown.output(limit=PREVIEW_ROWS), counted.counters()):
            db.execute(query.text, list(query.params)).fetchall()

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    path = ROOT / "var" / "bench" / f"recipe-{args.rows}.parquet"
    if not path.exists():
        print(f"generating {args.rows:,} rows into {path} ...", flush=True)
        generate(path, args.rows)

    def preview() -> dict:
        return recipe_preview(path, COLUMNS, STEPS, timeout_s=30)

    answer = preview()  # warm the file cache and the pooled connection, as a second request would find them
    plain_run = baseline(path, args.rows)
    plain_run()
    engine, plain = [], []
    for _ in range(args.runs):  # alternated, so a busy moment of the machine weighs on both alike
        engine += timed(preview, 1)
        plain += timed(plain_run, 1)
    close_pooled_connections()
    counted = f"counts over the first {answer['counted_rows']:,} rows" if answer["sampled"] else "exact counts"
    print(
        f"recipe preview, {PREVIEW_ROWS} rows after {len(STEPS)} steps on {args.rows:,} rows ({counted}): "
        f"engine median {statistics.median(engine):.1f} ms (min {min(engine):.1f})   "
        f"duckdb same SQL {statistics.median(plain):.1f} ms   aim < {AIM_MS} ms",
        flush=True,
    )
    for step in answer["steps"]:
        print(f"  {step['op']:<8} rows_after {step['rows_after']:>9,}  values_changed {step['values_changed']:>9,}")


if __name__ == "__main__":
    main()
