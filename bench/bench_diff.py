"""Version-diff benchmark: a keyed diff of two versions, beside DuckDB doing the same join by hand.

    .venv/bin/python bench/bench_diff.py                 # 1,000,000 rows, 8 columns, 1% of rows changed
    .venv/bin/python bench/bench_diff.py --rows 200000 --runs 5

Two Parquet files are generated once by DuckDB under var/bench/: version 2 is version 1 with 1% of its rows
edited (one column each), 0.1% removed and 0.1% added. The engine runs exactly as the API calls it
(`version_diff` on a sandboxed connection: key uniqueness checks, counts per column, samples); the baseline is
one full outer join counting added, removed and changed rows on an unsandboxed in-memory DuckDB, the least
any correct keyed diff has to do. The aim: under 3 s for 1M rows. A second engine figure is the diff as the API
runs it, where the versions' exact profiles already prove the key unique.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402
from bench_engine import COLUMNS, ORDERS_SQL  # noqa: E402

from dataplane.engine.diff import DiffSide, version_diff  # noqa: E402

# 1% of rows edited (every 100th: its price), 0.1% removed (every 1000th + 7), 0.1% added past the end.
CHANGED_SQL = """
SELECT id, quantity, CASE WHEN id % 100 = 0 THEN price + 1 ELSE price END AS price,
       order_date, shipped_at, region, zip_code, comment
FROM ({base}) WHERE id % 1000 <> 7
UNION ALL
SELECT id + {rows}, quantity, price, order_date, shipped_at, region, zip_code, comment
FROM ({base}) WHERE id <= {rows} // 1000
"""
BY_HAND_SQL = """
SELECT count(*) FILTER (b.id IS NULL) AS removed,
       count(*) FILTER (a.id IS NULL) AS added,
       count(*) FILTER (a.id IS NOT NULL AND b.id IS NOT NULL AND (
         a.quantity IS DISTINCT FROM b.quantity OR a.price IS DISTINCT FROM b.price
         OR a.order_date IS DISTINCT FROM b.order_date OR a.shipped_at IS DISTINCT FROM b.shipped_at
         OR a.region IS DISTINCT FROM b.region OR a.zip_code IS DISTINCT FROM b.zip_code
         OR a.comment IS DISTINCT FROM b.comment)) AS changed
FROM read_parquet(?) a FULL OUTER JOIN read_parquet(?) b ON a.id = b.id
"""


def generate(folder: Path, rows: int) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    first, second = folder / f"diff-{rows}-v1.parquet", folder / f"diff-{rows}-v2.parquet"
    base = ORDERS_SQL.format(rows=rows)
    with duckdb.connect() as db:
        for path, query in ((first, base), (second, CHANGED_SQL.format(base=base, rows=rows))):
            if not path.exists():
                partial = path.with_suffix(".partial")
                db.execute(f"COPY ({query}) TO '{partial}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)")
                partial.replace(path)
    return first, second


def timed(function, runs: int) -> tuple[list[float], object]:
    times, answer = [], None
    for _ in range(runs):
        started = time.perf_counter()
        answer = function()
        times.append(time.perf_counter() - started)
    return times, answer


def describe(times: list[float]) -> str:
    return f"median {statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    first, second = generate(ROOT / "var" / "bench", args.rows)

    def engine():
        return version_diff(DiffSide(first, COLUMNS), DiffSide(second, COLUMNS), ["id"])

    # As the API calls it: each version's stored profile (exact distinct and null counts) proves the key
    # unique, so the diff skips its own uniqueness queries. The profile figures are computed here.
    sides = []
    with duckdb.connect() as db:
        for path in (first, second):
            count, distinct, nulls = db.execute(
                "SELECT count(*), count(DISTINCT id), count(*) - count(id) FROM read_parquet(?)", [str(path)]
            ).fetchone()
            sides.append(DiffSide(path, COLUMNS, {"id": {"distinct": distinct, "nulls": nulls}}, row_count=count))

    def engine_profiled():
        return version_diff(sides[0], sides[1], ["id"])

    def by_hand():
        with duckdb.connect() as db:
            return db.execute(BY_HAND_SQL, [str(first), str(second)]).fetchone()

    engine_times, answer = timed(engine, args.runs)
    profiled_times, profiled = timed(engine_profiled, args.runs)
    assert profiled["rows"] == answer["rows"]
    hand_times, (removed, added, changed) = timed(by_hand, args.runs)
    rows = answer["rows"]
    assert (rows["removed"], rows["added"], rows["changed"]) == (removed, added, changed), (rows, removed, added)
    print(f"keyed diff of two {args.rows:,}-row versions ({changed:,} changed, {added:,} added, {removed:,} removed)")
    print(f"  Datamill version_diff (counts, per-column counts, samples): {describe(engine_times)}")
    print(f"  ... with the key proven unique by the versions' profiles:   {describe(profiled_times)}")
    print(f"  DuckDB full outer join by hand (counts only):              {describe(hand_times)}")
    aim = 3.0
    verdict = "met" if statistics.median(engine_times) < aim else "missed"
    print(f"  aim: under {aim:.0f} s for 1M rows ({verdict} at {args.rows:,} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
