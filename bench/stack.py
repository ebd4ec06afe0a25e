"""Start a whole Datamill stack in a scratch folder, in one of the two shapes the README describes.

- `embedded`: `manage.py start`, exactly what `make run` runs (SQLite, the private Redis, one command).
- `production`: separate processes sharing one DATA_DIR: a Redis given by REDIS_URL, two web processes
  (each its own server on its own port, as two machines behind a proxy would be), two Celery workers for the
  default queue and one for user queries (`queries`), each with its own name, and beat once; the database is
  DATABASE_URL (PostgreSQL in CI) or a scratch SQLite file.

Everything listens on loopback and is stopped when the `with` block ends.
"""

import csv
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "bench-passphrase-1234"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Stack:
    def __init__(self, shape: str = "embedded", *, users: int = 10, database_url: str | None = None):
        self.shape, self.users = shape, users
        self.folder = Path(tempfile.mkdtemp(prefix=f"datamill-{shape}-"))
        self.processes: list[subprocess.Popen] = []
        self.ports = [free_port()] if shape == "embedded" else [free_port(), free_port()]
        self.env = {
            **os.environ,
            "VAR_DIR": str(self.folder / "var"),
            "DATA_DIR": str(self.folder / "data"),
            "STATIC_ROOT": str(self.folder / "static"),
            "DATABASE_URL": database_url or f"sqlite:///{self.folder / 'datamill.sqlite3'}",
            "SECRET_KEY": uuid.uuid4().hex * 2,
            "PORT": str(self.ports[0]),
            # Many clients per person: the throttle is an operator's choice, not what is measured.
            "API_RATE_USER": "1000000/minute",
            "API_RATE_ANON": "1000000/minute",
            "LOG_LEVEL": "WARNING",
        }
        self.env.pop("REDIS_URL", None)
        self.tokens: list[str] = []

    @property
    def base_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.ports]

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args], env=self.env, cwd=ROOT, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout.strip()

    def spawn(self, command: list[str], **env) -> None:
        self.processes.append(
            subprocess.Popen(
                command, env={**self.env, **env}, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL
            )
        )

    def __enter__(self) -> "Stack":
        if self.shape == "production":
            redis_port = free_port()
            from apps.core.management.commands.start import redis_server_binary

            self.spawn([redis_server_binary(), "--port", str(redis_port), "--bind", "127.0.0.1", "--save", ""])
            self.env["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
        self.manage("migrate", "--noinput", "-v", "0")
        self.manage("collectstatic", "--noinput", "-v", "0")
        for i in range(self.users):
            email = f"person{i}@bench.local"
            self.manage("create_user", "--email", email, "--password", PASSWORD, "--workspace", "bench", "--role",
                        "owner" if i == 0 else "editor")  # fmt: skip
            self.tokens.append(self.manage("create_token", "--email", email, "--name", "bench", "--scope", "write"))
        if self.shape == "embedded":
            self.spawn([sys.executable, str(ROOT / "manage.py"), "start"])
        else:
            self.spawn_production()
        for url in self.base_urls:
            self.wait_for(f"{url}/healthz")
        return self

    def spawn_production(self) -> None:
        for port in self.ports:
            # As the README's production shape: uvicorn over project.asgi (HTTP and the live socket).
            self.spawn([str(BIN / "uvicorn"), "project.asgi:application", "--host", "127.0.0.1", "--port", str(port),
                        "--workers", "2", "--lifespan", "off", "--log-level", "warning"],
                       PROMETHEUS_MULTIPROC_DIR=self.metrics_dir(port))  # fmt: skip
        # As the README's production shape: workers for the default queue, and apart from them one for user
        # queries (the `queries` queue), so statements never hold the processes an ingest waits for.
        for name, queue in (("one", "celery"), ("two", "celery"), ("queries", "queries")):
            self.spawn([str(BIN / "celery"), "-A", "project", "worker", "--queues", queue, "--concurrency", "1",
                        "--hostname", f"{name}@%h", "--loglevel", "WARNING"])  # fmt: skip
        self.spawn([str(BIN / "celery"), "-A", "project", "beat", "--loglevel", "WARNING", "--schedule",
                    str(self.folder / "celerybeat-schedule")])  # fmt: skip

    def metrics_dir(self, port: int) -> str:
        folder = self.folder / f"metrics-{port}"
        folder.mkdir(parents=True, exist_ok=True)
        return str(folder)

    def wait_for(self, url: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for process in self.processes:
                if process.poll() is not None:
                    raise RuntimeError(f"{process.args[:3]} exited with {process.returncode} while starting")
            try:
                urllib.request.urlopen(url, timeout=2).read()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{url} did not answer within {timeout} s")

    def __exit__(self, *exc) -> None:
        for process in self.processes[::-1]:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGINT if self.shape == "embedded" else signal.SIGTERM)
        for process in self.processes[::-1]:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        subprocess.run(["rm", "-rf", str(self.folder)], check=False)

    def api(
        self,
        method: str,
        path: str,
        *,
        base: int = 0,
        body: bytes | None = None,
        content_type="application/json",
        token: str | None = None,
    ):
        """`(status, answer)` of one API call, with `token` (the first bench person's by default)."""
        request = urllib.request.Request(
            self.base_urls[base] + path,
            data=body,
            method=method,
            headers={"Authorization": f"Bearer {token or self.tokens[0]}", "Content-Type": content_type},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def upload(
        self, path: Path, *, title: str, via: int = 0, token: str | None = None, workspace: str = "bench"
    ) -> dict:
        boundary = uuid.uuid4().hex
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="workspace"\r\n\r\n{workspace}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n{title}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="visibility"\r\n\r\npublic\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        body = head + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
        status, answer = self.api(
            "POST",
            "/api/v1/datasets/upload/",
            base=via,
            body=body,
            content_type=f"multipart/form-data; boundary={boundary}",
            token=token,
        )
        if status != 202:
            raise RuntimeError(f"upload answered {status}: {answer}")
        return answer

    def wait_for_job(
        self, job_id: str, *, via: int = 0, timeout: float = 300, token: str | None = None, every_s: float = 0.2
    ) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            _, job = self.api("GET", f"/api/v1/jobs/{job_id}/", base=via, token=token)
            if job["status"] in ("succeeded", "failed"):
                return job
            time.sleep(every_s)
        raise RuntimeError(f"job {job_id} did not finish within {timeout} s")


CITIES = ["Oslo", "Lima", "Pune", "Kyiv", "Quito", "Hanoi", "Accra", "Perth", "Bern", "Riga"]


def weather_csv(path: Path, rows: int) -> Path:
    rng = random.Random(7)
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["day", "city", "temp", "rain_mm", "station"])
        for i in range(rows):
            writer.writerow(
                [f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}", CITIES[i % len(CITIES)], rng.randint(-10, 40),
                 round(rng.random() * 30, 1), f"{i % 500:05d}"]
            )  # fmt: skip
    return path
