"""Query-engine benchmark: rows pages, deep cursor pages and a group-by, beside the same SQL in plain DuckDB.

    .venv/bin/python bench/bench_engine.py              # 5,000,000 rows, 8 columns
    .venv/bin/python bench/bench_engine.py --rows 200000 --runs 5

The Parquet file is generated once by DuckDB under var/bench/: the same columns as bench_ingest.py's CSV,
typed, written with the ingest's options (zstd, 122,880-row groups). The engine runs exactly as the API
calls it (sandboxed connection, parameters parsed, JSON-ready output); the baseline is the closest plain
query on an unsandboxed in-memory DuckDB in this process. Exports run in child processes so each peak
memory figure is the export's own.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from dataplane.engine import aggregate_query, export_stream, rows_query  # noqa: E402
from dataplane.engine.counts import row_counts  # noqa: E402
from dataplane.engine.cursor import encode_cursor  # noqa: E402
from dataplane.engine.rows_request import parse_rows_request  # noqa: E402
from dataplane.engine.running import close_pooled_connections  # noqa: E402
from dataplane.engine.schema import Schema  # noqa: E402

# The generated orders table, also read by bench_diff.py, bench_sql.py and bench_query_cache.py.
ORDERS_SQL = """
SELECT
  i AS id,
  (hash(i, 1) % 200001)::BIGINT - 100000 AS quantity,
  ((hash(i, 2) % 100000000)::BIGINT / 100.0)::DOUBLE AS price,
  DATE '2000-01-01' + (hash(i, 3) % 9000)::INTEGER AS order_date,
  TIMESTAMP '2015-01-01' + to_seconds((hash(i, 4) % 300000000)::BIGINT) AS shipped_at,
  ['north', 'south', 'east', 'west', 'central'][(hash(i, 5) % 5)::INTEGER + 1] AS region,
  lpad((hash(i, 6) % 100000)::VARCHAR, 5, '0') AS zip_code,
  'note ' || substr(md5(i::VARCHAR), 1, (hash(i, 7) % 16)::INTEGER + 4) AS comment
FROM range(1, {rows} + 1) AS numbers(i)
"""
GENERATE_SQL = "COPY (" + ORDERS_SQL + ") TO '{path}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)"
COLUMNS = [
    {"name": "id", "type": "integer"},
    {"name": "quantity", "type": "integer"},
    {"name": "price", "type": "float"},
    {"name": "order_date", "type": "date"},
    {"name": "shipped_at", "type": "timestamp"},
    {"name": "region", "type": "text"},
    {"name": "zip_code", "type": "text"},
    {"name": "comment", "type": "text"},
]
PAGE = {"region": ["north"], "price__gte": ["250000"], "_sort": ["-price"], "_size": ["100"]}
PAGE_SQL = "SELECT * FROM read_parquet(?) WHERE region = 'north' AND price >= 250000 ORDER BY price DESC LIMIT 100"
COUNT_SQL = "SELECT count(*) FROM read_parquet(?) WHERE region = 'north' AND price >= 250000"
GROUP_BY = {
    "group_by": ["region", {"column": "order_date", "bucket": "month"}],
    "measures": [{"fn": "count"}, {"fn": "avg", "column": "price"}, {"fn": "sum", "column": "quantity"}],
}
GROUP_BY_SQL = (
    "SELECT region, CAST(date_trunc('month', order_date) AS DATE), count(*), avg(price), sum(quantity) "
    "FROM read_parquet(?) GROUP BY 1, 2 ORDER BY 1, 2 LIMIT 1000"
)


def generate(path: Path, rows: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    with duckdb.connect() as db:
        db.execute(GENERATE_SQL.format(rows=rows, path=partial))
    partial.replace(path)


def timed(function, runs: int, before=None) -> list[float]:
    times = []
    for _ in range(runs):
        if before:
            before()
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def deep_cursor(path: Path, params: dict, position: int) -> str:
    """The cursor the engine would hand out after `position` rows of this query (found with an OFFSET)."""
    request = parse_rows_request(Schema(COLUMNS), params, max_size=1000)
    keys = [key.column.sql for key in request.sort]
    order = ", ".join(
        [f"{k.column.sql} {'DESC' if k.desc else 'ASC'} NULLS LAST" for k in request.sort] + ["file_row_number"]
    )
    select = ", ".join([*keys, "file_row_number"])
    with duckdb.connect() as db:
        row = db.execute(
            f"SELECT {select} FROM read_parquet(?, file_row_number = true) ORDER BY {order} LIMIT 1 OFFSET ?",  # noqa: S608
            [str(path), position - 1],
        ).fetchone()
    return encode_cursor(request.fingerprint(), list(row[:-1]), row[-1])


def report(label: str, engine: list[float], baseline: list[float] | None, baseline_label: str = "") -> None:
    line = f"{label:<52} engine median {statistics.median(engine):8.1f} ms  (min {min(engine):7.1f})"
    if baseline:
        line += f"   duckdb {statistics.median(baseline):8.1f} ms  {baseline_label}"
    print(line, flush=True)


def export_child(path: Path, fmt: str, sort: str) -> None:
    """Runs in its own process, so its peak memory is the export's: prints one JSON line."""
    started = time.perf_counter()
    size = 0
    for chunk in export_stream(path, COLUMNS, {"_sort": [sort]} if sort else {}, fmt)[2]:
        size += len(chunk)
    print(json.dumps({"seconds": time.perf_counter() - started, "bytes": size, "peak_mb": peak_memory_mb()}))


def peak_memory_mb() -> float:
    """This process's own peak RSS. (wait4's figure would include the parent's size at fork, kept across exec.)"""
    try:
        status = Path("/proc/self/status").read_text()
        return int(status.split("VmHWM:")[1].split()[0]) / 1024
    except (OSError, IndexError):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_export(path: Path, fmt: str, sort: str) -> None:
    command = [sys.executable, __file__, f"--export-child={fmt}", f"--export-sort={sort}", f"--export-path={path}"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"export child failed: {command}\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    label = f"export {fmt}{', sorted by ' + sort if sort else ''}"
    print(
        f"{label:<52} {result['seconds']:8.1f} s  {result['bytes'] / 1e6:7.0f} MB  "
        f"peak RSS {result['peak_mb']:5.0f} MB",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--skip-exports", action="store_true")
    parser.add_argument("--export-child", help=argparse.SUPPRESS)
    parser.add_argument("--export-sort", default="", help=argparse.SUPPRESS)
    parser.add_argument("--export-path", help=argparse.SUPPRESS)
    args, _ = parser.parse_known_args()
    if args.export_child:
        export_child(Path(args.export_path), args.export_child, args.export_sort)
        return

    path = ROOT / "var" / "bench" / f"engine-{args.rows}-zstd.parquet"
    if not path.exists():
        started = time.perf_counter()
        generate(path, args.rows)
        print(f"generated {path} in {time.perf_counter() - started:.1f} s")
    size_mb = path.stat().st_size / 1e6
    print(
        f"{args.rows:,} rows x {len(COLUMNS)} columns, {size_mb:.0f} MB Parquet; {os.cpu_count()} CPUs; "
        f"load average {os.getloadavg()[0]:.2f}; {args.runs} runs per figure\n"
    )
    baseline_db = duckdb.connect()
    plain = str(path)

    def baseline(sql: str, extra: tuple = ()):
        return lambda: baseline_db.execute(sql, [plain, *extra]).fetchall()

    first_group_by = timed(lambda: aggregate_query(path, COLUMNS, GROUP_BY), 1)
    close_pooled_connections()

    page_alone, count_alone = timed(baseline(PAGE_SQL), args.runs), timed(baseline(COUNT_SQL), args.runs)
    both = [page + count for page, count in zip(page_alone, count_alone, strict=True)]
    report(
        "filtered, sorted 100-row page, total counted",
        timed(lambda: rows_query(path, COLUMNS, PAGE), args.runs, before=row_counts.clear),
        both,
        f"page + count ({statistics.median(page_alone):.1f} + {statistics.median(count_alone):.1f})",
    )
    report(
        "same page, total cached (the grid's next pages)",
        timed(lambda: rows_query(path, COLUMNS, PAGE), args.runs),
        page_alone,
        "page",
    )
    for label, params in (
        ("filtered page in file order, total cached", {"region": ["north"], "price__gte": ["250000"]}),
        ("filtered page sorted by date, total cached", {"region": ["north"], "_sort": ["-order_date,zip_code"]}),
        ("first page, no filter, no sort", {}),
    ):
        rows_query(path, COLUMNS, params)
        report(label, timed(lambda params=params: rows_query(path, COLUMNS, params), args.runs), None)

    position = min(4_000_000, args.rows - 200)
    file_order = {"_size": ["100"]}
    cursor = deep_cursor(path, file_order, position)
    report(
        f"deep page, file order, cursor after {position:,} rows",
        timed(lambda: rows_query(path, COLUMNS, {**file_order, "_cursor": [cursor]}), args.runs),
        timed(baseline(f"SELECT * FROM read_parquet(?) LIMIT 100 OFFSET {position}"), args.runs),  # noqa: S608
        "LIMIT/OFFSET",
    )
    sorted_page = {"_sort": ["-price"], "_size": ["100"]}
    cursor = deep_cursor(path, sorted_page, position)
    report(
        f"deep page, sorted by -price, cursor after {position:,}",
        timed(lambda: rows_query(path, COLUMNS, {**sorted_page, "_cursor": [cursor]}), args.runs),
        timed(baseline(f"SELECT * FROM read_parquet(?) ORDER BY price DESC LIMIT 100 OFFSET {position}"), args.runs),  # noqa: S608
        "ORDER BY/LIMIT/OFFSET",
    )

    print()
    report("group-by, 2 groups x 3 measures, first call (cold)", first_group_by, None)
    report(
        "group-by, 2 groups x 3 measures, repeated",
        timed(lambda: aggregate_query(path, COLUMNS, GROUP_BY), args.runs),
        timed(baseline(GROUP_BY_SQL), args.runs),
        "same SQL",
    )
    baseline_db.close()

    if not args.skip_exports:
        print()
        for fmt, sort in (("csv", ""), ("ndjson", ""), ("json", ""), ("parquet", ""), ("csv", "-price")):
            measure_export(path, fmt, sort)


if __name__ == "__main__":
    main()
