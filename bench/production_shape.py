"""The README's production shape, run for real (CI runs it on PostgreSQL): a Redis given by REDIS_URL, two web
processes, two Celery workers for the default queue and one for user queries, as separate processes sharing one
DATA_DIR, beat once. An upload through one web process is followed through the other; then the load run's mix
goes to both. Exits non-zero on any failed job, unready process or error answer.

    DATABASE_URL=postgres://... .venv/bin/python bench/production_shape.py
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import load
from stack import Stack, weather_csv


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rows", type=int, default=50_000)
    args, _ = parser.parse_known_args()

    with Stack("production", users=4, database_url=os.environ.get("DATABASE_URL")) as stack:
        for index in range(len(stack.base_urls)):
            status, ready = stack.api("GET", "/readyz", base=index)
            if status != 200:
                print(f"web {index + 1} is not ready: {ready}")
                return 1
        answer = stack.upload(weather_csv(stack.folder / "weather.csv", args.rows), title="Weather", via=0)
        job = stack.wait_for_job(answer["job"]["id"], via=1)  # another web process, the same database
        if job["status"] != "succeeded":
            print(f"the ingest failed: {job['error']}")
            return 1
        dataset = answer["dataset"]
        status, rows = stack.api("GET", f"/api/v1/datasets/{dataset['id']}/rows/?_size=5", base=1)
        if status != 200 or rows["total"] != args.rows:
            print(f"web 2 does not read the version web 1 took in: {status} {rows}")
            return 1
        target = load.Target(
            page=f"/w/bench/{dataset['slug']}/", dataset_id=dataset["id"], text_column="city",
            text_values=["Oslo", "Lima"], number_column="temp", job_id=job["id"],
        )  # fmt: skip
        baseline = load.run(stack.base_urls, stack.tokens, target, clients=args.clients, seconds=5,
                            make=load.static_request("/static/css/app.css"))  # fmt: skip
        result = load.run(stack.base_urls, stack.tokens, target, clients=args.clients, seconds=args.seconds)
    database = "PostgreSQL" if "postgres" in os.environ.get("DATABASE_URL", "") else "SQLite"
    print(f"Production shape on {database}: 2 web processes, 2 workers + 1 for queries, beat; "
          f"{args.rows:,} rows ingested through web 1, followed on web 2")  # fmt: skip
    print(load.report(result, baseline))
    return 1 if result.error_count else 0


if __name__ == "__main__":
    sys.exit(main())
