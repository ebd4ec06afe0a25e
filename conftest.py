"""Fixtures for every test: a real private Redis, users, workspaces, tokens, API clients."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient

from apps.accounts import services
from apps.accounts.models import Role
from apps.core.management.commands.start import redis_server_binary, wait_for_redis
from apps.datasets import services as dataset_services
from apps.datasets.models import Version
from project.celery import app as celery_app

_redis: dict = {}


def pytest_configure(config):
    """Start a throwaway Redis before any test; caches, throttles and Celery all use it."""
    workdir = Path(tempfile.mkdtemp(prefix="datamill-test-"))
    socket_path = workdir / "redis.sock"
    process = subprocess.Popen(
        [
            redis_server_binary(),
            "--port",
            "0",
            "--unixsocket",
            str(socket_path),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
            "--loglevel",
            "warning",
        ],
        stdout=subprocess.DEVNULL,
    )
    url = f"unix://{socket_path}"
    wait_for_redis(url, process)
    _redis.update(process=process, workdir=workdir, url=url)

    from project.celery import app as celery_app
    from project.env import celery_redis_url

    settings.REDIS_URL = url
    settings.CACHES = {**settings.CACHES, "default": {**settings.CACHES["default"], "LOCATION": url}}
    settings.DATA_DIR = workdir / "data"
    settings.CELERY_BROKER_URL = settings.CELERY_RESULT_BACKEND = celery_redis_url(url)
    settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"][0]["address"] = url
    celery_app.conf.update(broker_url=celery_redis_url(url), result_backend=celery_redis_url(url))


def pytest_unconfigure(config):
    if process := _redis.get("process"):
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(_redis["workdir"], ignore_errors=True)


@pytest.fixture
def redis_url() -> str:
    return _redis["url"]


@pytest.fixture(autouse=True)
def fresh_cache_and_data(settings, tmp_path):
    """Each test starts with an empty cache (throttles, login limits) and its own DATA_DIR."""
    from django.core.cache import cache

    cache.clear()
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    yield


@pytest.fixture
def make_user(db):
    def make(email: str, password: str | None = None, name: str = ""):
        return services.user_create(email=email, password=password, name=name)

    return make


@pytest.fixture
def owner(make_user):
    return make_user("owner@example.com", name="Olive Owner")


@pytest.fixture
def workspace(owner):
    return services.workspace_create(name="Acme Analytics", slug="acme", owner=owner)


@pytest.fixture
def editor(make_user, workspace):
    user = make_user("editor@example.com", name="Eddie Editor")
    services.membership_set(workspace=workspace, user=user, role=Role.EDITOR)
    return user


@pytest.fixture
def viewer(make_user, workspace):
    user = make_user("viewer@example.com", name="Vera Viewer")
    services.membership_set(workspace=workspace, user=user, role=Role.VIEWER)
    return user


@pytest.fixture
def outsider(make_user):
    return make_user("outsider@example.com", name="Otto Outsider")


@pytest.fixture
def api():
    """An API client with no credentials; tests add a session or a token."""
    return APIClient()


@pytest.fixture
def token_client():
    def make(user, scope: str = "write", **kwargs):
        _, secret = services.token_create(user=user, name="test", scope=scope, **kwargs)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        return client

    return make


@pytest.fixture
def session_client():
    """An APIClient logged in with a session, enforcing CSRF like a browser would."""

    def make(user):
        client = APIClient(enforce_csrf_checks=True)
        client.force_login(user)
        return client

    return make


def database_url() -> str:
    """The test database, as a URL the worker process can open."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return "postgres://{}:{}@{}:{}/{}".format(
        quote(db["USER"] or ""), quote(db["PASSWORD"] or ""), db["HOST"] or "localhost", db["PORT"] or 5432, db["NAME"]
    )


def spawn_worker(queues: list[str], name: str) -> tuple[subprocess.Popen, str]:
    """A real Celery worker process (solo pool) consuming `queues`, on the test Redis, database and
    DATA_DIR, with the node name it answers pings by."""
    env = {
        **os.environ,
        "REDIS_URL": settings.REDIS_URL,
        "DATABASE_URL": database_url(),
        "DATA_DIR": str(settings.DATA_DIR),
    }
    hostname = f"{name}-{os.getpid()}@{socket.gethostname()}"
    command = [str(Path(sys.executable).parent / "celery"), "-A", "project", "worker", "--queues", ",".join(queues),
               "--pool", "solo", "--loglevel", "WARNING", "--hostname", hostname,
               "--without-gossip", "--without-mingle"]  # fmt: skip
    return subprocess.Popen(command, cwd=settings.BASE_DIR, env=env), hostname


def wait_for_worker(process: subprocess.Popen, hostname: str) -> subprocess.Popen:
    deadline = time.monotonic() + 60
    while not celery_app.control.ping(destination=[hostname], timeout=0.5):
        assert process.poll() is None, "the Celery worker exited while starting"
        assert time.monotonic() < deadline, "the Celery worker did not answer within 60 s"
    return process


def stop_worker(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture
def worker(transactional_db):
    """A real Celery worker process (solo pool) consuming every queue: default and user queries."""
    process = wait_for_worker(*spawn_worker([settings.CELERY_TASK_DEFAULT_QUEUE, settings.SQL_QUEUE], "test"))
    yield process
    stop_worker(process)


@pytest.fixture
def queue_workers(transactional_db):
    """Two real workers as `make run` starts them: one for the default queue, one for user queries."""
    starting = [spawn_worker([settings.CELERY_TASK_DEFAULT_QUEUE], "default"), spawn_worker([settings.SQL_QUEUE], "q")]
    default, queries = [wait_for_worker(*worker) for worker in starting]
    yield default, queries
    stop_worker(queries)
    stop_worker(default)


WEATHER = {
    "date": ["2024-01-01", "2024-01-02", "2024-02-01", "2024-02-02"],
    "weather": ["rain", "sun", "rain", "fog"],
    "temp_max": [8.5, 12.0, 6.25, 9.0],
    "station": ["00501", "00502", "00501", "00777"],
}
WEATHER_COLUMNS = [
    {"name": "date", "original_name": "date", "type": "text", "nullable": False},
    {"name": "weather", "original_name": "weather", "type": "text", "nullable": False},
    {"name": "temp_max", "original_name": "temp_max", "type": "float", "nullable": False},
    {"name": "station", "original_name": "station", "type": "text", "nullable": False},
]


def publish_table(dataset, table: dict, columns: list[dict], user=None) -> Version:
    """A ready version written straight to Parquet, as if an ingest had produced it."""
    version = Version.objects.create(
        dataset=dataset,
        number=dataset_services.next_version_number(dataset),
        source_kind="upload",
        source_name="fixture.csv",
        created_by=user,
    )
    version.path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table(table), version.path)
    row_count = len(next(iter(table.values())))
    dataset_services.version_publish(
        version=version,
        result={"format": "csv", "row_count": row_count, "columns": columns, "profile": {}},
    )
    return version


@pytest.fixture
def make_dataset(owner):
    def make(workspace, title="Weather", visibility="private", table=None, columns=None):
        dataset = dataset_services.dataset_create(
            workspace=workspace, title=title, visibility=visibility, created_by=owner
        )
        publish_table(dataset, table or WEATHER, columns or WEATHER_COLUMNS, owner)
        dataset.refresh_from_db()
        return dataset

    return make


@pytest.fixture
def eager():
    """Run tasks in-process, at the point they are sent."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False
