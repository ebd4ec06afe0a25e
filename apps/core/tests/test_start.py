"""`manage.py start` as a person runs it: start, requests in flight, Ctrl-C; nothing remains, the next start works."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import psutil
import pytest
from django.conf import settings

ROUNDS = 20


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def stack_env(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    env = {
        **os.environ,
        "VAR_DIR": str(var),
        "DATA_DIR": str(var / "data"),
        "DATABASE_URL": f"sqlite:///{var / 'stack.sqlite3'}",
        "PORT": str(free_port()),
        "WEB_WORKERS": "1",
        "WORKER_CONCURRENCY": "1",
    }
    env.pop("REDIS_URL", None)  # the private Redis, as on a fresh machine
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True, cwd=settings.BASE_DIR)
    return env, manage


def start(env, manage) -> subprocess.Popen:
    # Its own process group, like a shell's foreground job: Ctrl-C is then a SIGINT to that whole group.
    return subprocess.Popen(
        [*manage, "start"],
        env=env,
        cwd=settings.BASE_DIR,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait_for_web(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read().decode()[-2000:]
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"the web server did not answer on port {port} within {timeout} s")


def requests_in_flight(port: int, stop: threading.Event) -> list[threading.Thread]:
    def client():
        while not stop.is_set():
            # Refused or cut off by the shutdown: what matters is what stays behind.
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5).read()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(4)]
    for thread in threads:
        thread.start()
    return threads


def describe(process: psutil.Process) -> str:
    """Name and command line; empty for a short-lived helper (a zombie, or gone) that cannot be read."""
    try:
        return f"{process.name()} {' '.join(process.cmdline())}"
    except psutil.Error:
        return ""


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


@pytest.mark.timeout(1200)  # twenty whole starts and stops: minutes on a loaded 2-core machine
def test_ctrl_c_stops_everything_every_time(stack_env):
    env, manage = stack_env
    port = int(env["PORT"])
    for round_number in range(1, ROUNDS + 1):
        process = start(env, manage)
        wait_for_web(port, process)
        stack = psutil.Process(process.pid).children(recursive=True)
        described = " ".join(describe(p) for p in stack)
        assert all(part in described for part in ("redis", "uvicorn", "worker", "beat")), described
        if round_number == 1:  # the web processes add up their figures for /metrics
            for _ in range(3):
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).read()
            metrics = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
            assert 'datamill_http_requests_total{method="GET",status="200",view="healthz"}' in metrics
        stop = threading.Event()
        clients = requests_in_flight(port, stop)
        time.sleep(0.3)
        os.killpg(process.pid, signal.SIGINT)  # the terminal's Ctrl-C
        try:
            assert process.wait(timeout=45) == 0, f"round {round_number}: {process.stderr.read().decode()[-2000:]}"
        finally:
            stop.set()
            for thread in clients:
                thread.join(timeout=10)
        _, alive = psutil.wait_procs(stack, timeout=5)
        assert alive == [], f"round {round_number}: left behind {[describe(p) for p in alive]}"
        assert port_is_free(port), f"round {round_number}: port {port} is still held"


def test_a_taken_port_is_one_clear_line_before_anything_starts(stack_env):
    env, manage = stack_env
    port = free_port()  # not the port the other test's servers just left in TIME_WAIT
    env = {**env, "PORT": str(port)}
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", port))
        squatter.listen()
        process = start(env, manage)
        assert process.wait(timeout=30) != 0
        error = process.stderr.read().decode().strip()
    assert f"Port {port} on 127.0.0.1 is already in use" in error
    assert len(error.splitlines()) == 1
    assert not (Path(env["VAR_DIR"]) / "redis.pid").exists() or not psutil.pid_exists(
        int((Path(env["VAR_DIR"]) / "redis.pid").read_text() or 0)
    )
