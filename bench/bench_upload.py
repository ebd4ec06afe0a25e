"""Upload to ready version, the whole wait of a person or a script, beside DuckDB's plain COPY of the same file.

    .venv/bin/python bench/bench_upload.py                 # the 1,000,000-row file of bench_ingest.py
    .venv/bin/python bench/bench_upload.py --rows 200000

The real pieces run for the measurement, on loopback and in a scratch folder that is removed afterwards:
a private Redis on a unix socket, a fresh SQLite database, a gunicorn web server and a Celery worker,
started as `make run` starts them. A write token POSTs the file to /api/v1/datasets/upload/ (streamed
multipart), then the job is polled every `--poll` seconds until it has succeeded. The time counts
everything a client waits for: sending the file, the web process writing it to disk, the job's pickup
by the worker, the ingest (profile included), publishing the version and the poll that sees it.
Each upload is a new dataset; the best of `--repeat` runs is compared with the best baseline, and each
part of the best run is printed.
"""

import argparse
import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

PASSWORD = "bench-password-9f1c"
EMAIL = "bench@datamill.local"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Stack:
    """Redis, a migrated database, gunicorn and a Celery worker in `workdir`; `stop()` ends what it started."""

    def __init__(self, workdir: Path, web_workers: int, worker_concurrency: int):
        from apps.core.management.commands.start import redis_server_binary, wait_for_redis

        self.workdir, self.processes = workdir, []
        socket_path = workdir / "redis.sock"
        self.start([redis_server_binary(), "--port", "0", "--unixsocket", str(socket_path), "--save", "",
                    "--appendonly", "no", "--dir", str(workdir)], "redis")  # fmt: skip
        wait_for_redis(f"unix://{socket_path}", self.processes[-1][1])
        self.port = free_port()
        self.env = {
            **os.environ,
            "REDIS_URL": f"unix://{socket_path}",
            "DATABASE_URL": f"sqlite:///{workdir / 'datamill.sqlite3'}",
            "DATA_DIR": str(workdir / "data"),
            "SECRET_KEY": "bench-" + os.urandom(16).hex(),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
        }
        self.manage("migrate", "--no-input")
        self.manage("create_user", "--email", EMAIL, "--password", PASSWORD, "--workspace", "bench")
        self.token = self.manage("create_token", "--email", EMAIL, "--name", "bench", "--scope", "write").strip()
        bin_dir = Path(sys.executable).parent
        self.start([str(bin_dir / "gunicorn"), "project.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
                    "--workers", str(web_workers), "--threads", "4", "--timeout", "600", "--log-level", "warning"],
                   "web")  # fmt: skip
        self.start([str(bin_dir / "celery"), "-A", "project", "worker", "--loglevel", "WARNING", "--concurrency",
                    str(worker_concurrency), "--hostname", f"bench-{os.getpid()}@%h", "--without-gossip",
                    "--without-mingle"], "worker")  # fmt: skip
        self.wait_ready()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def manage(self, *arguments: str) -> str:
        done = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *arguments],
            cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            raise SystemExit(f"manage.py {arguments[0]} failed:\n{done.stderr}")
        return done.stdout

    def start(self, command: list[str], name: str) -> None:
        log = (self.workdir / f"{name}.log").open("w")
        env = getattr(self, "env", None)
        self.processes.append((name, subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)))

    def wait_ready(self, timeout: float = 120) -> None:
        """Until /readyz answers 200: the database, Redis and a worker answering a real task."""
        import requests

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, process in self.processes:
                if process.poll() is not None:
                    raise SystemExit(f"{name} exited; see {self.workdir / (name + '.log')}")
            try:
                if requests.get(f"{self.url}/readyz", timeout=30).status_code == 200:
                    return
            except requests.RequestException:
                pass  # not listening yet, or busy starting
            time.sleep(0.25)
        raise SystemExit(f"the stack was not ready within {timeout:.0f} s")

    def stop(self) -> None:
        for _, process in reversed(self.processes):
            process.terminate()
        for _, process in reversed(self.processes):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def upload(stack: Stack, csv: Path, poll: float, number: int) -> dict:
    """One upload to a ready version, timed in parts from the client's clock and the job's own times."""
    import requests

    headers = {"Authorization": f"Bearer {stack.token}"}
    started = time.time()
    with csv.open("rb") as file:
        answer = requests.post(
            f"{stack.url}/api/v1/datasets/upload/",
            headers=headers,
            data={"workspace": "bench", "title": f"orders {number}"},
            files={"file": (csv.name, file, "text/csv")},
            timeout=600,
        )
    accepted = time.time()
    if answer.status_code != 202:
        raise SystemExit(f"upload answered {answer.status_code}: {answer.text[:500]}")
    job_url = f"{stack.url}/api/v1/jobs/{answer.json()['job']['id']}/"
    while True:
        job = requests.get(job_url, headers=headers, timeout=60).json()
        if job["status"] in ("succeeded", "failed"):
            break
        time.sleep(poll)
    seen = time.time()
    if job["status"] != "succeeded":
        raise SystemExit(f"the ingest failed: {job['error']}")

    def at(field: str) -> float:
        return dt.datetime.fromisoformat(job[field].replace("Z", "+00:00")).timestamp()

    return {
        "seconds": seen - started,
        "upload": accepted - started,
        "pickup": at("started_at") - at("created_at"),
        "ingest": at("finished_at") - at("started_at"),
        "seen": seen - at("finished_at"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--poll", type=float, default=0.1, help="seconds between job polls (default 0.1)")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--worker-concurrency", type=int, default=2)
    parser.add_argument("--data-dir", type=Path, default=ROOT / "var" / "bench")
    args, _ = parser.parse_known_args()

    import bench_ingest

    csv = args.data_dir / f"orders-{args.rows}-v2.csv"
    if not csv.exists():
        print(f"Generating {args.rows:,} rows into {csv} ...", flush=True)
        bench_ingest.generate(csv, args.rows)
    size_mb = csv.stat().st_size / 1024**2
    print(f"Input: {csv} ({args.rows:,} rows, {size_mb:,.0f} MB), cores: {os.cpu_count()}; starting the stack ...")
    workdir = Path(tempfile.mkdtemp(prefix="datamill-bench-upload-"))
    stack = None
    try:
        stack = Stack(workdir, args.web_workers, args.worker_concurrency)
        baseline_args = argparse.Namespace(memory_limit="1GB", threads=None)
        runs, baselines = [], []
        for number in range(args.repeat):
            baselines.append(bench_ingest.measure("baseline", csv, workdir / "baseline.parquet", baseline_args))
            runs.append(upload(stack, csv, args.poll, number))
    finally:
        if stack is not None:
            stack.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    best, baseline = min(runs, key=lambda run: run["seconds"]), min(result["seconds"] for result in baselines)
    print(f"{'':44}{'best s':>9}")
    print(f"{'baseline: DuckDB COPY to Parquet':44}{baseline:>9.2f}")
    print(f"{'upload through HTTP to a ready version':44}{best['seconds']:>9.2f}")
    print(f"ratio upload-to-ready / baseline: {best['seconds'] / baseline:.2f}x (aim: at most 3x)")
    parts = ", ".join(f"{key} {best[key]:.2f}s" for key in ("upload", "pickup", "ingest", "seen"))
    print(f"best run by part: {parts} (poll every {args.poll:g} s)")
    print(json.dumps({"runs": runs, "baselines": [result["seconds"] for result in baselines]}))


if __name__ == "__main__":
    main()
