"""Load run against the stack as `make run` starts it: 50 concurrent clients for 60 s, spread over several
people, mixing dataset pages, rows pages with sorts and filters, aggregate queries and job polls; beside a
baseline of the same clients fetching a static file from the same server in the same run.

    .venv/bin/python bench/bench_load.py                      # 50 clients, 60 s
    .venv/bin/python bench/bench_load.py --clients 20 --seconds 15

Aim on 2 cores: 0 errors and p95 under 500 ms.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import load
from stack import Stack, weather_csv


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--baseline-seconds", type=float, default=15)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=10)
    args, _ = parser.parse_known_args()

    with Stack("embedded", users=args.users) as stack:
        answer = stack.upload(weather_csv(stack.folder / "weather.csv", args.rows), title="Weather")
        job = stack.wait_for_job(answer["job"]["id"])
        if job["status"] != "succeeded":
            print(f"the ingest failed: {job['error']}")
            return 1
        dataset = answer["dataset"]
        target = load.Target(
            page=f"/w/bench/{dataset['slug']}/",
            dataset_id=dataset["id"],
            text_column="city",
            text_values=["Oslo", "Lima", "Pune", "Kyiv"],
            number_column="temp",
            job_id=job["id"],
        )
        print(f"Load: {args.clients} clients over {args.users} people against `manage.py start` "
              f"({args.rows:,}-row dataset)")  # fmt: skip
        baseline = load.run(stack.base_urls, stack.tokens, target, clients=args.clients,
                            seconds=args.baseline_seconds, make=load.static_request("/static/css/app.css"))  # fmt: skip
        result = load.run(stack.base_urls, stack.tokens, target, clients=args.clients, seconds=args.seconds)
    print(load.report(result, baseline))
    return 0


if __name__ == "__main__":
    sys.exit(main())
