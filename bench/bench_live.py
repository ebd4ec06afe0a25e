"""Live job progress: from a job's last progress report to the message on a subscribed WebSocket,
beside the same report followed by polling GET /api/v1/jobs/{id}/ once a second (what the islands did).

    .venv/bin/python bench/bench_live.py                  # 200 bursts of reports
    .venv/bin/python bench/bench_live.py --bursts 50

Everything is real and on loopback: a private Redis on a unix socket, a fresh SQLite database, and the
web server `make run` starts (uvicorn serving project.asgi). This process plays the Celery worker: it
calls Job.report like an ingest does, in bursts of 1 to 5 reports a few milliseconds apart (so the
throttle holds some), and times the last report of each burst until a socket client receives it.
"""

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def summary(values: list[float]) -> str:
    return (
        f"p50 {statistics.median(values):6.1f} ms   p95 {percentile(values, 95):6.1f} ms   "
        f"max {max(values):6.1f} ms   ({len(values)} samples)"
    )


def wait_for_http(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the web server exited with code {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the web server did not answer at {url} within {timeout:.0f} s")


class SocketClient(threading.Thread):
    """Reads the job channel; records when each report's message arrived (by its message text)."""

    def __init__(self, url: str, channel: str) -> None:
        super().__init__(daemon=True)
        self.url, self.channel = url, channel
        self.arrived: dict[str, float] = {}
        self.condition = threading.Condition()
        self.subscribed = threading.Event()
        self.stop = threading.Event()

    def run(self) -> None:
        from websockets.sync.client import connect

        with connect(self.url, open_timeout=10) as connection:
            connection.send(json.dumps({"subscribe": self.channel}))
            first = json.loads(connection.recv(timeout=10))
            assert first.get("event") == "progress", first
            self.subscribed.set()
            while not self.stop.is_set():
                try:
                    raw = connection.recv(timeout=0.5)
                except TimeoutError:
                    continue
                now = time.perf_counter()
                message = json.loads(raw).get("data", {}).get("message", "")
                with self.condition:
                    self.arrived.setdefault(message, now)
                    self.condition.notify_all()

    def wait_for(self, message: str, timeout: float = 5.0) -> float | None:
        with self.condition:
            self.condition.wait_for(lambda: message in self.arrived, timeout=timeout)
            return self.arrived.get(message)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bursts", type=int, default=200, help="bursts of reports over the socket")
    parser.add_argument("--polls", type=int, default=20, help="reports followed by 1 s polling (baseline)")
    args, _ = parser.parse_known_args()

    workdir = Path(tempfile.mkdtemp(prefix="datamill-bench-live-"))
    port = free_port()
    env = {
        **os.environ,
        "REDIS_URL": f"unix://{workdir / 'redis.sock'}",
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "DATA_DIR": str(workdir / "data"),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "DJANGO_SETTINGS_MODULE": "project.settings",
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    from apps.core.management.commands.start import redis_server_binary, wait_for_redis, web_server_command

    processes: list[subprocess.Popen] = []
    try:
        redis_process = subprocess.Popen(
            [redis_server_binary(), "--port", "0", "--unixsocket", str(workdir / "redis.sock"), "--save", ""],
            stdout=subprocess.DEVNULL,
            cwd=workdir,
        )
        processes.append(redis_process)
        wait_for_redis(env["REDIS_URL"], redis_process)
        call_command("migrate", verbosity=0)
        web = subprocess.Popen(
            [*web_server_command(Path(sys.executable).parent, 1), "--log-level", "warning"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        processes.append(web)
        wait_for_http(f"http://127.0.0.1:{port}/healthz", web)

        from apps.accounts import services as accounts
        from apps.jobs.models import Job

        user = accounts.user_create(email="bench@example.com", password=None)
        _, secret = accounts.token_create(user=user, name="bench", scope="read")
        job = Job.objects.create(kind="ingest", created_by=user, status="running")
        client = SocketClient(f"ws://127.0.0.1:{port}/ws/?token={secret}", f"job:{job.pk}")
        client.start()
        if not client.subscribed.wait(15):
            raise SystemExit("the socket client could not subscribe")

        rng = random.Random(7)
        latencies: list[float] = []
        alone: list[float] = []  # bursts of one report: nothing held by the throttle
        lost = 0
        for burst in range(args.bursts):
            size = rng.randint(1, 5)
            for step in range(size):
                if step:
                    time.sleep(rng.uniform(0.002, 0.03))
                text = f"burst {burst} step {step}"
                reported = time.perf_counter()
                job.report(rng.random(), "Parsing rows", text)
            arrived = client.wait_for(text)
            if arrived is None:
                lost += 1
            else:
                latencies.append((arrived - reported) * 1000)
                if size == 1:
                    alone.append(latencies[-1])
            time.sleep(rng.uniform(0.0, 0.15))

        polled: list[float] = []
        headers = {"Authorization": f"Bearer {secret}"}
        job_url = f"http://127.0.0.1:{port}/api/v1/jobs/{job.pk}/"
        phase = time.perf_counter()
        for sample in range(args.polls):
            # A poller that started at an unrelated moment, as a page opened at any time would be.
            time.sleep(rng.uniform(0.0, 1.0))
            text = f"poll {sample}"
            reported = time.perf_counter()
            job.report(rng.random(), "Parsing rows", text)
            next_poll = phase + 1.0 * (int((reported - phase) / 1.0) + 1)
            while True:
                time.sleep(max(0.0, next_poll - time.perf_counter()))
                request = urllib.request.Request(job_url, headers=headers)
                body = json.loads(urllib.request.urlopen(request, timeout=10).read())
                next_poll += 1.0
                if body["message"] == text:
                    polled.append((time.perf_counter() - reported) * 1000)
                    break
        client.stop.set()
        client.join(timeout=5)
    finally:
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()

    from django.conf import settings

    throttle = settings.LIVE_JOB_MIN_INTERVAL * 1000
    print(f"job report -> WebSocket message, {args.bursts} bursts of 1-5 reports (throttle {throttle:.0f} ms):")
    print(f"  socket:        {summary(latencies)}" + (f"   {lost} never arrived" if lost else ""))
    print(f"    lone reports {summary(alone)}")
    print(f"  1 s polling:   {summary(polled)}")
    aim = percentile(latencies, 95) < 200 and lost == 0
    print(f"  aim p95 < 200 ms: {'met' if aim else 'missed'}")


if __name__ == "__main__":
    main()
