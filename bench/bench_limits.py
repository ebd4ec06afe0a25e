"""Memory and time limits under hostile SQL, on a running stack: the resident memory of every process (web
workers, Celery workers, the isolated query children) sampled every 50 ms while three statements built to defeat
DuckDB's own limits run at once, and how long each took to be answered, beside the limits they must hold.

    .venv/bin/python bench/bench_limits.py                       # SQL_MEMORY_LIMIT=1GB, SQL_TIME_LIMIT=10
    .venv/bin/python bench/bench_limits.py --memory-limit 512MB --time-limit 5

DESIGN.md: a query never grows any process past its limit plus a small margin, and is answered within the
limit plus one second. The stack is `manage.py start` in a scratch folder (bench/stack.py's embedded shape).
"""

import argparse
import json
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

PHASES = {
    "three repeat('x', 1e9) at once": ["SELECT repeat('x', 1000000000) AS x"] * 3,
    "three concatenations past DuckDB's limit at once": [
        "SELECT length(repeat('x', 400000000) || repeat('y', 400000000) || repeat('z', 400000000)) AS n"
    ]
    * 3,
}
ASYNC_SQL = "SELECT length(repeat('x', 400000000) || repeat('y', 400000000) || repeat('z', 400000000)) AS n"


class Sampler:
    """Peak and first-seen RSS of every process under the stack's, by pid, with a label."""

    def __init__(self, roots: list[int]) -> None:
        self.roots = [psutil.Process(pid) for pid in roots]
        self.first: dict[int, int] = {}
        self.peak: dict[int, int] = {}
        self.label: dict[int, str] = {}
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def processes(self):
        for root in self.roots:
            yield root
            yield from root.children(recursive=True)

    def sample(self) -> None:
        for process in self.processes():
            try:
                rss = process.memory_info().rss
                if process.pid not in self.label:
                    self.label[process.pid] = label(" ".join(process.cmdline()))
                    self.first[process.pid] = rss
            except psutil.Error:
                continue
            self.peak[process.pid] = max(self.peak.get(process.pid, 0), rss)

    def _run(self) -> None:
        while not self._done.wait(0.05):
            self.sample()

    def __enter__(self) -> "Sampler":
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._done.set()
        self._thread.join()


def label(command: str) -> str:
    if "isolation_child" in command:
        return "query child"
    if "celery" in command and " worker" in command:
        return "celery worker"
    if "celery" in command and " beat" in command:
        return "celery beat"
    if "redis" in command:
        return "redis"
    if "uvicorn" in command or "multiprocessing" in command:
        return "web"
    return "start command"


def megabytes(value: int) -> str:
    return f"{value / 2**20:7.0f} MB"


def report(sampler: Sampler, memory_bytes: int, margin: int) -> None:
    by_label: dict[str, list[int]] = {}
    for pid in sampler.peak:
        by_label.setdefault(sampler.label[pid], []).append(pid)
    for name, pids in sorted(by_label.items()):
        for pid in pids:
            grew = sampler.peak[pid] - sampler.first[pid]
            if name == "query child":
                cap = sampler.first[pid] + memory_bytes + margin
                limit = f"limit {megabytes(cap)} (its start {megabytes(sampler.first[pid]).strip()} + memory + margin)"
            else:
                limit = f"grew {megabytes(grew)}, limit {megabytes(margin)} of growth"
            print(f"    {name:14} pid {pid:7}  peak {megabytes(sampler.peak[pid])}  {limit}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--memory-limit", default="1GB")
    parser.add_argument("--time-limit", type=int, default=10)
    args, _ = parser.parse_known_args()

    from stack import Stack

    from dataplane.engine.isolation import HEADROOM_MIN, parse_bytes

    memory_bytes = parse_bytes(args.memory_limit)
    margin = max(HEADROOM_MIN, memory_bytes // 4)
    stack = Stack("embedded", users=1)
    stack.env.update(SQL_MEMORY_LIMIT=args.memory_limit, SQL_TIME_LIMIT=str(args.time_limit))
    stack.env.update(SQL_ASYNC_TIME_LIMIT=str(args.time_limit))
    with stack:
        print(f"Limits: memory {args.memory_limit} per query (+ margin {megabytes(margin).strip()}), "
              f"time {args.time_limit} s (answered within {args.time_limit + 1} s)")  # fmt: skip
        stack.api("POST", "/api/v1/sql/", body=json.dumps({"sql": "SELECT 1 AS warm"}).encode())
        time.sleep(5)  # the web workers' pools start their warm children
        roots = [process.pid for process in stack.processes]
        for phase, statements in PHASES.items():
            with Sampler(roots) as sampler, ThreadPoolExecutor(len(statements)) as threads:
                answers = list(threads.map(lambda sql: timed_post(stack, sql), statements))
            print(f"\n{phase}:")
            for status, code, seconds in answers:
                verdict = "ok" if seconds <= args.time_limit + 1 else "LATE"
                print(f"    answered {status} {code:16} in {seconds:5.2f} s (limit {args.time_limit + 1} s) {verdict}")
            report(sampler, memory_bytes, margin)
        with Sampler(roots) as sampler:
            started = time.perf_counter()
            body = json.dumps({"sql": ASYNC_SQL, "async": True}).encode()
            _, answer = stack.api("POST", "/api/v1/sql/", body=body)
            job = stack.wait_for_job(answer["job"]["id"])
            seconds = time.perf_counter() - started
        print(f"\nthe same concatenation as an async job (runs in a Celery worker): {job['status']}, "
              f"{(job.get('error') or '')[:70]!r} in {seconds:.2f} s")  # fmt: skip
        report(sampler, memory_bytes, margin)


def timed_post(stack, sql: str) -> tuple[int, str, float]:
    started = time.perf_counter()
    status, answer = stack.api("POST", "/api/v1/sql/", body=json.dumps({"sql": sql}).encode())
    code = (answer or {}).get("error", {}).get("code", "") if status != 200 else "answered"
    return status, code, time.perf_counter() - started


if __name__ == "__main__":
    main()
