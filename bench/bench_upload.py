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
part of the best run is printed, beside the ingest alone (bench_ingest's measurement) for reference.
"""

import argparse
import datetime as dt
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
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
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, process in self.processes:
                if process.poll() is not None:
                    raise SystemExit(f"{name} exited; see {self.workdir / (name + '.log')}")
            try:
                if request(self.port, "GET", "/readyz", timeout=30)[0] == 200:
                    return
            except OSError:
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


def request(port: int, method: str, path: str, *, headers=None, body=None, length=None, timeout=60):
    """(status, parsed JSON or text) of one HTTP request to the stack; `body` may be an iterable of bytes."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.putrequest(method, path)
        for name, value in {
            **(headers or {}),
            **({"Content-Length": str(length)} if length is not None else {}),
        }.items():
            connection.putheader(name, value)
        connection.endheaders()
        for chunk in body or ():
            connection.send(chunk)
        answer = connection.getresponse()
        text = answer.read().decode()
        try:
            return answer.status, json.loads(text)
        except ValueError:
            return answer.status, text
    finally:
        connection.close()


def multipart(fields: dict[str, str], path: Path) -> tuple[str, int, Iterator[bytes]]:
    """(content type, length, chunks) of a multipart body with `fields` and the file, streamed from disk."""
    boundary = "bench" + os.urandom(12).hex()
    head = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()

    def chunks() -> Iterator[bytes]:
        yield head
        with path.open("rb") as file:
            while chunk := file.read(1 << 20):
                yield chunk
        yield tail

    return f"multipart/form-data; boundary={boundary}", len(head) + path.stat().st_size + len(tail), chunks()


def upload(stack: Stack, csv: Path, poll: float, number: int) -> dict:
    """One upload to a ready version, timed in parts from the client's clock and the job's own times."""
    authorization = {"Authorization": f"Bearer {stack.token}"}
    content_type, length, body = multipart({"workspace": "bench", "title": f"orders {number}"}, csv)
    started = time.time()
    status, answer = request(
        stack.port, "POST", "/api/v1/datasets/upload/",
        headers={**authorization, "Content-Type": content_type}, body=body, length=length, timeout=600,
    )  # fmt: skip
    accepted = time.time()
    if status != 202:
        raise SystemExit(f"upload answered {status}: {str(answer)[:500]}")
    job_path = f"/api/v1/jobs/{answer['job']['id']}/"
    while True:
        job = request(stack.port, "GET", job_path, headers=authorization)[1]
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
    parser.add_argument("--poll", type=float, default=0.25, help="seconds between job polls (default 0.25)")
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
        runs, baselines, ingests = [], [], []
        for number in range(args.repeat):
            baselines.append(bench_ingest.measure("baseline", csv, workdir / "baseline.parquet", baseline_args))
            ingests.append(bench_ingest.measure("ingest", csv, workdir / "ingest.parquet", baseline_args))
            runs.append(upload(stack, csv, args.poll, number))
    finally:
        if stack is not None:
            stack.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    best, baseline = min(runs, key=lambda run: run["seconds"]), min(result["seconds"] for result in baselines)
    print(f"{'':44}{'best s':>9}")
    print(f"{'baseline: DuckDB COPY to Parquet':44}{baseline:>9.2f}")
    print(f"{'ingest_file alone, in a fresh process':44}{min(result['seconds'] for result in ingests):>9.2f}")
    print(f"{'upload through HTTP to a ready version':44}{best['seconds']:>9.2f}")
    print(f"ratio upload-to-ready / baseline: {best['seconds'] / baseline:.2f}x (aim: at most 3x)")
    parts = ", ".join(f"{key} {best[key]:.2f}s" for key in ("upload", "pickup", "ingest", "seen"))
    print(f"best run by part: {parts} (poll every {args.poll:g} s)")
    print(json.dumps({"runs": runs, "baselines": [result["seconds"] for result in baselines]}))


if __name__ == "__main__":
    main()
