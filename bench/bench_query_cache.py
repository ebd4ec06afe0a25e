"""Aggregate query through the API's cache: cold (a miss, computed by DuckDB) and cached (a Redis hit),
beside the same query run directly in DuckDB.

    .venv/bin/python bench/bench_query_cache.py              # the 5,000,000-row file of bench_engine.py
    .venv/bin/python bench/bench_query_cache.py --rows 200000

A private Redis is started for the run, as `make run` does, so the cached figure includes the network
round trip and the decoding that every web process pays.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def median_ms(function, runs: int, before=None) -> float:
    times = []
    for _ in range(runs):
        if before:
            before()
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--runs", type=int, default=15)
    args, _ = parser.parse_known_args()

    from bench_engine import COLUMNS, GROUP_BY, GROUP_BY_SQL, generate

    path = ROOT / "var" / "bench" / f"engine-{args.rows}-zstd.parquet"
    if not path.exists():
        generate(path, args.rows)

    from apps.core.management.commands.start import redis_server_binary, wait_for_redis

    workdir = Path(tempfile.mkdtemp(prefix="datamill-bench-"))
    socket_path = workdir / "redis.sock"
    redis_process = subprocess.Popen(
        [redis_server_binary(), "--port", "0", "--unixsocket", str(socket_path), "--save", "", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
    )
    try:
        os.environ["REDIS_URL"] = f"unix://{socket_path}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
        import django

        django.setup()
        import duckdb
        from django.core.cache import cache

        from apps.datasets.selectors import cached_aggregate

        wait_for_redis(os.environ["REDIS_URL"], redis_process)

        def query():
            return cached_aggregate(cache_key="bench", path=path, columns=COLUMNS, body=GROUP_BY)

        cold = median_ms(query, args.runs, before=cache.clear)
        answer, hit = query()
        assert hit, "the second call should come from the cache"
        cached = median_ms(query, args.runs)
        plain = duckdb.connect()
        direct = median_ms(lambda: plain.execute(GROUP_BY_SQL, [str(path)]).fetchall(), args.runs)
        print(
            f"{args.rows:,} rows; group-by of 2 groups x 3 measures ({len(answer['rows'])} result rows); "
            f"median of {args.runs} runs"
        )
        print(f"  cold (cache miss, engine):   {cold:8.1f} ms   aim < 300 ms")
        print(f"  cached (Redis hit):          {cached:8.1f} ms   aim < 20 ms")
        print(f"  baseline (plain DuckDB):     {direct:8.1f} ms")
    finally:
        redis_process.terminate()
        redis_process.wait()


if __name__ == "__main__":
    main()
