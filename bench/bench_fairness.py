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
import urllib.error
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack import Stack, weather_csv

FOREVER = "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT max(n) FROM t"


def call(stack: Stack, token: str, method: str, path: str, body: bytes | None = None, content_type="application/json"):
    request = urllib.request.Request(
        stack.base_urls[0] + path,
        data=body,
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": content_type},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def upload_until_ready(stack: Stack, token: str, path: Path, workspace: str) -> float:
    """Seconds from sending the file to its version being ready."""
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="workspace"\r\n\r\n{workspace}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    body = head + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    began = time.perf_counter()
    status, answer = call(
        stack, token, "POST", "/api/v1/datasets/upload/", body, f"multipart/form-data; boundary={boundary}"
    )
    if status != 202:
        raise RuntimeError(f"upload answered {status}: {answer}")
    while True:
        _, job = call(stack, token, "GET", f"/api/v1/jobs/{answer['job']['id']}/")
        if job["status"] in ("succeeded", "failed"):
            break
        if time.perf_counter() - began > 600:
            raise RuntimeError("the upload was not ready within 600 s")
        time.sleep(0.05)
    if job["status"] != "succeeded":
        raise RuntimeError(f"the ingest failed: {job['error']}")
    return time.perf_counter() - began


def fill_query_cap(stack: Stack, token: str) -> tuple[list[str], int]:
    """Start statements that never end until the cap answers 429: (job ids, the 429's running count)."""
    jobs = []
    while len(jobs) < 50:
        status, answer = call(
            stack, token, "POST", "/api/v1/sql/", json.dumps({"sql": FOREVER, "async": True}).encode()
        )
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
            states = [call(stack, reader, "GET", f"/api/v1/jobs/{job}/")[1]["status"] for job in jobs]
        finally:
            for job in jobs:
                call(stack, reader, "DELETE", f"/api/v1/jobs/{job}/")
    print(f"Fairness: an upload of {args.rows:,} rows to ready, median of {args.runs} (make run's shape)")
    print(f"  alone                                        {statistics.median(alone):7.2f} s")
    print(f"  while another account holds {running} statements   {statistics.median(busy):7.2f} s"
          f"   (the next statement answered 429; theirs stayed {', '.join(states)})")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
