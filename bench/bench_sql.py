"""SQL through the API: a join of the 5M-row benchmark dataset with a 10,000-row dataset plus a GROUP BY,
run synchronously by POST /api/v1/sql/, beside the same SQL in plain DuckDB over the same Parquet files.

    .venv/bin/python bench/bench_sql.py              # the 5,000,000-row file of bench_engine.py
    .venv/bin/python bench/bench_sql.py --rows 200000 --runs 5

The API side is the whole request, in this process: Django's test client (session auth, DRF, the guard's
parse and checks, the permission lookups, the sandboxed DuckDB with its memory and time limits, JSON), with
the answer cache emptied before each run so every figure is computed; a cached answer is reported apart.
A private Redis and a throwaway SQLite database and DATA_DIR are made for the run and removed after it.
The baseline is the same statement on an unsandboxed in-memory DuckDB with the files' paths written in.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

ZIPS_SQL = """
COPY (
  SELECT lpad((i * 10)::VARCHAR, 5, '0') AS zip_code, 'state ' || lpad((i % 50)::VARCHAR, 2, '0') AS state
  FROM range(10000) AS numbers(i)
) TO '{path}' (FORMAT parquet, COMPRESSION zstd)
"""
ZIPS_COLUMNS = [{"name": "zip_code", "type": "text"}, {"name": "state", "type": "text"}]
STATEMENT = """
SELECT z.state, o.region, count(*) AS orders, sum(o.quantity) AS quantity, avg(o.price) AS mean_price
FROM {orders} o JOIN {zips} z ON o.zip_code = z.zip_code
GROUP BY z.state, o.region
ORDER BY z.state, o.region
"""
AIM = 1.5


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--runs", type=int, default=9)
    args, _ = parser.parse_known_args()

    import duckdb
    from bench_engine import COLUMNS, generate

    orders_file = ROOT / "var" / "bench" / f"engine-{args.rows}-zstd.parquet"
    if not orders_file.exists():
        print(f"generating {orders_file} …", flush=True)
        generate(orders_file, args.rows)

    from apps.core.management.commands.start import redis_server_binary, wait_for_redis

    # On the same file system as the benchmark file, so the versions are hard links, not copies.
    workdir = Path(tempfile.mkdtemp(prefix="sql-", dir=orders_file.parent))
    redis_process = subprocess.Popen(
        [
            redis_server_binary(),
            "--port",
            "0",
            "--unixsocket",
            str(workdir / "redis.sock"),
            "--save",
            "",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        os.environ.update(
            REDIS_URL=f"unix://{workdir / 'redis.sock'}",
            DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite3'}",
            DATA_DIR=str(workdir / "data"),
            DJANGO_SETTINGS_MODULE="project.settings",
        )
        import django

        django.setup()
        from django.core.cache import cache
        from django.core.management import call_command
        from rest_framework.test import APIClient

        from apps.accounts import services as account_services
        from apps.datasets import services as dataset_services
        from apps.datasets.models import Version

        wait_for_redis(os.environ["REDIS_URL"], redis_process)
        call_command("migrate", verbosity=0)
        user = account_services.user_create(email="bench@example.com", password=None, name="Bench")
        workspace = account_services.workspace_create(name="Bench", slug="bench", owner=user)

        def dataset_from(title: str, source: Path, columns: list[dict], row_count: int) -> Version:
            dataset = dataset_services.dataset_create(workspace=workspace, title=title, created_by=user)
            version = Version.objects.create(dataset=dataset, number=1, source_kind="upload", source_name=source.name)
            version.path.parent.mkdir(parents=True, exist_ok=True)
            os.link(source, version.path)
            dataset_services.version_publish(
                version=version, result={"format": "parquet", "row_count": row_count, "columns": columns, "profile": {}}
            )
            return version

        zips_file = workdir / "zips.parquet"
        duckdb.execute(ZIPS_SQL.format(path=zips_file))
        orders = dataset_from("Orders", orders_file, COLUMNS, args.rows)
        zips = dataset_from("Zips", zips_file, ZIPS_COLUMNS, 10_000)

        client = APIClient(SERVER_NAME="localhost")
        client.force_login(user)
        sql = STATEMENT.format(orders="bench.orders", zips="bench.zips")

        def through_the_api() -> dict:
            response = client.post("/api/v1/sql/", {"sql": sql, "limit": 10_000}, format="json")
            assert response.status_code == 200, response.content[:2000]
            return response.json()

        plain = duckdb.connect()
        baseline_sql = STATEMENT.format(
            orders=f"read_parquet('{orders.path.resolve()}')", zips=f"read_parquet('{zips.path.resolve()}')"
        )
        answer, expected = through_the_api(), plain.execute(baseline_sql).fetchall()  # warm both, then compare
        assert [tuple(row.values())[:3] for row in answer["rows"]] == [row[:3] for row in expected], "answers differ"
        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            cache.clear()
            profile = cProfile.Profile()
            profile.runcall(through_the_api)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(35)

        # Interleaved, so both sides see the same load on a shared machine.
        api_times, baseline_times = [], []
        for _ in range(args.runs):
            cache.clear()
            api_times.append(timed(through_the_api))
            baseline_times.append(timed(lambda: plain.execute(baseline_sql).fetchall()))
        api_ms, api_min = statistics.median(api_times), min(api_times)
        baseline_ms, baseline_min = statistics.median(baseline_times), min(baseline_times)
        cached_ms = statistics.median([timed(through_the_api) for _ in range(args.runs)])

        ratio = api_ms / baseline_ms
        print(
            f"{args.rows:,} x 10,000 rows; join + GROUP BY ({len(answer['rows'])} result rows); "
            f"median of {args.runs} interleaved runs"
        )
        print(f"  POST /api/v1/sql/ (computed):  {api_ms:8.1f} ms  (min {api_min:7.1f})")
        print(f"  POST /api/v1/sql/ (cached):    {cached_ms:8.1f} ms")
        print(f"  baseline (plain DuckDB):       {baseline_ms:8.1f} ms  (min {baseline_min:7.1f})")
        print(
            f"  ratio {ratio:.2f}x of medians ({api_min / baseline_min:.2f}x of minimums)   "
            f"aim within {AIM}x: {'met' if ratio <= AIM else 'MISSED'}"
        )
    finally:
        redis_process.terminate()
        redis_process.wait()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
