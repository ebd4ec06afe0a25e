"""Ingest benchmark: plain DuckDB CSV -> Parquet against Datamill's whole ingest, on the same CSV.

    .venv/bin/python bench/bench_ingest.py             # 5,000,000 rows (about 400 MB)
    .venv/bin/python bench/bench_ingest.py --rows 100000

The CSV is generated once and cached under var/bench/. Each measurement runs in a fresh subprocess,
so its peak memory (max RSS, from wait4) is its own; its clock starts after the imports, which a worker
has loaded before any upload comes (both processes import the same modules). Baseline and ingest runs
alternate `--repeat` times and the best time of each is compared (the least disturbed by other work on the machine); the
median is printed too. The ingest includes everything a version needs:
encoding check, whole-file type inference, typed Parquet written atomically, and the profile.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATE_SQL = """
COPY (
  SELECT
    i AS id,
    (hash(i, 1) % 200001)::BIGINT - 100000 AS quantity,
    ((hash(i, 2) % 100000000)::BIGINT / 100.0)::DOUBLE AS price,
    DATE '2000-01-01' + (hash(i, 3) % 9000)::INTEGER AS order_date,
    strftime(TIMESTAMP '2015-01-01' + to_seconds((hash(i, 4) % 300000000)::BIGINT), '%Y-%m-%dT%H:%M:%S')
      AS shipped_at,
    ['north', 'south', 'east', 'west', 'central'][(hash(i, 5) % 5)::INTEGER + 1] AS region,
    lpad((hash(i, 6) % 100000)::VARCHAR, 5, '0') AS zip_code,
    CASE WHEN i % 97 = 0 THEN 'said "hello, world"' || chr(10) || 'twice'
         ELSE 'note ' || substr(md5(i::VARCHAR), 1, (hash(i, 7) % 16)::INTEGER + 4) END AS comment,
    strftime(DATE '2005-01-01' + (hash(i, 8) % 7000)::INTEGER, '%d/%m/%Y') AS invoice_date,
    strftime(DATE '1990-01-01' + (hash(i, 9) % 12000)::INTEGER, '%b %-d %Y') AS customer_since
  FROM range(1, {rows} + 1) AS numbers(i)
) TO '{path}' (HEADER, DELIMITER ',')
"""


def generate(path: Path, rows: int) -> None:
    import duckdb

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial.csv")
    duckdb.connect().execute(GENERATE_SQL.format(rows=rows, path=partial))
    partial.replace(path)


def run_child(args) -> dict:
    """Measured in this process, after its imports (a worker has them loaded): prints one JSON line."""
    import duckdb

    sys.path.insert(0, str(ROOT))
    from dataplane.ingest import IngestLimits, ingest_file

    started = time.perf_counter()
    stages: list[tuple[float, str]] = []
    if args.child == "baseline":
        db = duckdb.connect()
        db.execute(f"SET memory_limit = '{args.memory_limit}'")
        if args.threads:
            db.execute(f"SET threads = {int(args.threads)}")
        copy = f"COPY (SELECT * FROM read_csv($csv)) TO '{args.out}' (FORMAT parquet)"  # noqa: S608 (our own path)
        db.execute(copy, {"csv": args.csv})
        rows = db.execute("SELECT count(*) FROM read_parquet($out)", {"out": args.out}).fetchall()[0][0]
    else:

        def progress(fraction: float, stage: str, message: str) -> None:
            if not stages or stages[-1][1] != stage:
                stages.append((time.perf_counter() - started, stage))

        limits = IngestLimits(memory_limit=args.memory_limit, threads=args.threads)
        rows = ingest_file(Path(args.csv), Path(args.out), limits=limits, progress=progress).row_count
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": rows, "stages": stages}


def measure(kind: str, csv: Path, out: Path, args) -> dict:
    command = [sys.executable, __file__, "--child", kind, "--csv", str(csv), "--out", str(out)]
    command += ["--memory-limit", args.memory_limit] + (["--threads", str(args.threads)] if args.threads else [])
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{kind} failed with exit code {process.returncode}")
    result = json.loads(output.strip().splitlines()[-1])
    result["peak_mb"] = usage.ru_maxrss / 1024  # Linux reports KiB
    result["cpu_s"] = usage.ru_utime + usage.ru_stime  # the whole process, imports included
    out.unlink(missing_ok=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--memory-limit", default="1GB", help="DuckDB memory_limit for both runs")
    parser.add_argument("--threads", type=int, default=None, help="DuckDB threads for both runs (default: all)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, alternating (default 3)")
    parser.add_argument("--data-dir", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument("--child", choices=["baseline", "ingest"], help=argparse.SUPPRESS)
    parser.add_argument("--csv", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args, _ = parser.parse_known_args()
    if args.child:
        print(json.dumps(run_child(args)))
        return

    csv = args.data_dir / f"orders-{args.rows}-v2.csv"
    if not csv.exists():
        print(f"Generating {args.rows:,} rows into {csv} ...", flush=True)
        generate(csv, args.rows)
    size_mb = csv.stat().st_size / 1024**2
    shape = f"{args.rows:,} rows, 10 columns (two dates not in ISO form), {size_mb:,.0f} MB"
    print(f"Input: {csv} ({shape}), cores: {os.cpu_count()}")
    runs: dict[str, list[dict]] = {"baseline": [], "ingest": []}
    for _ in range(args.repeat):
        for kind in runs:
            runs[kind].append(measure(kind, csv, args.data_dir / f"{kind}.parquet", args))
    best = {kind: min(results, key=lambda result: result["seconds"]) for kind, results in runs.items()}
    print(f"{'':34}{'best s':>9}{'median s':>10}{'rows/s':>13}{'peak MB':>10}{'CPU s':>8}")
    labels = {"baseline": "baseline: DuckDB COPY to Parquet", "ingest": "ingest_file (profile included)"}
    for kind, results in runs.items():
        rate = best[kind]["rows"] / best[kind]["seconds"]
        median = statistics.median(result["seconds"] for result in results)
        peak = max(result["peak_mb"] for result in results)
        cpu = min(result["cpu_s"] for result in results)
        print(f"{labels[kind]:34}{best[kind]['seconds']:>9.2f}{median:>10.2f}{rate:>13,.0f}{peak:>10,.0f}{cpu:>8.2f}")
    ratio = best["ingest"]["seconds"] / best["baseline"]["seconds"]
    peak = max(result["peak_mb"] for result in runs["ingest"])
    print(f"ratio ingest / baseline: {ratio:.2f}x (aim: at most 2x); ingest peak memory {peak:,.0f} MB (aim: < 1,024)")
    marks = [*best["ingest"]["stages"], (best["ingest"]["seconds"], "end")]
    stages = ", ".join(f"{stage} {end - start:.2f}s" for (start, stage), (end, _) in pairwise(marks))
    print(f"best ingest by stage: {stages}")


if __name__ == "__main__":
    main()
