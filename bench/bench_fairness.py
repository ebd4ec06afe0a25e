"""Fairness: an upload's time to ready alone, and while another account keeps its SQL cap full.

Runs `manage.py start` (what `make run` runs: a worker for the default queue, one for user queries) in a
scratch folder. Account A, in workspace `bench`, starts async statements that never end until it is refused
(429 at SQL_MAX_RUNNING_PER_USER); account B, in its own workspace, uploads a small CSV and waits for the
version to be ready. Each figure is the median of `--runs` uploads; A's statements are cancelled at the end.

    .venv/bin/python bench/bench_fairness.py [--rows 10000] [--runs 3]
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack import Stack, weather_csv

FOREVER = "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT max(n) FROM t"


def upload_until_ready(stack: Stack, token: str, path: Path, workspace: str) -> float:
    """Seconds from sending the file to its version being ready."""
    began = time.perf_counter()
    answer = stack.upload(path, title=path.stem, token=token, workspace=workspace)
    job = stack.wait_for_job(answer["job"]["id"], timeout=600, token=token, every_s=0.05)
    if job["status"] != "succeeded":
        raise RuntimeError(f"the ingest failed: {job['error']}")
    return time.perf_counter() - began


def fill_query_cap(stack: Stack, token: str) -> tuple[list[str], int]:
    """Start statements that never end until the cap answers 429: (job ids, the 429's running count)."""
    jobs = []
    while len(jobs) < 50:
        body = json.dumps({"sql": FOREVER, "async": True}).encode()
        status, answer = stack.api("POST", "/api/v1/sql/", body=body, token=token)
        if status == 429:
            return jobs, answer["error"]["details"]["running"]
        if status != 202:
            raise RuntimeError(f"POST /api/v1/sql/ answered {status}: {answer}")
        jobs.append(answer["job"]["id"])
    raise RuntimeError("50 statements were accepted: is the cap set?")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args, _ = parser.parse_known_args()

    with Stack("embedded", users=1) as stack:
        reader = stack.tokens[0]
        stack.manage("create_user", "--email", "uploader@bench.local", "--password", "bench-passphrase-1234",
                     "--workspace", "elsewhere", "--role", "owner")  # fmt: skip
        uploader = stack.manage(
            "create_token", "--email", "uploader@bench.local", "--name", "bench", "--scope", "write"
        )
        csv_path = weather_csv(stack.folder / "readings.csv", args.rows)
        upload_until_ready(stack, uploader, csv_path, "elsewhere")  # warm-up: imports, first connections
        alone = [upload_until_ready(stack, uploader, csv_path, "elsewhere") for _ in range(args.runs)]
        jobs, running = fill_query_cap(stack, reader)
        try:
            time.sleep(1)  # the first statement is on the queries worker, the next one waits for it
            busy = [upload_until_ready(stack, uploader, csv_path, "elsewhere") for _ in range(args.runs)]
            states = [stack.api("GET", f"/api/v1/jobs/{job}/", token=reader)[1]["status"] for job in jobs]
        finally:
            for job in jobs:
                stack.api("DELETE", f"/api/v1/jobs/{job}/", token=reader)
    print(f"Fairness: an upload of {args.rows:,} rows to ready, median of {args.runs} (make run's shape)")
    print(f"  alone                                        {statistics.median(alone):7.2f} s")
    print(f"  while another account holds {running} statements   {statistics.median(busy):7.2f} s"
          f"   (the next statement answered 429; theirs stayed {', '.join(states)})")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
