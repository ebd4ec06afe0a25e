"""The job round trip through a real Celery worker process and a real Redis."""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient

from apps.jobs import services
from project.celery import app as celery_app


def database_url() -> str:
    """The test database, as a URL the worker process can open."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return "postgres://{}:{}@{}:{}/{}".format(
        quote(db["USER"] or ""), quote(db["PASSWORD"] or ""), db["HOST"] or "localhost", db["PORT"] or 5432, db["NAME"]
    )


@pytest.fixture
def worker(transactional_db):
    env = {
        **os.environ,
        "REDIS_URL": settings.REDIS_URL,
        "DATABASE_URL": database_url(),
        "DATA_DIR": str(settings.DATA_DIR),
    }
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "project",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "--hostname",
            f"test-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=settings.BASE_DIR,
        env=env,
    )
    deadline = time.monotonic() + 60
    while not celery_app.control.ping(timeout=0.5):
        assert process.poll() is None, "the Celery worker exited while starting"
        assert time.monotonic() < deadline, "the Celery worker did not answer within 60 s"
    yield process
    process.terminate()
    process.wait(timeout=30)


def test_job_round_trip_through_a_real_worker(worker, owner):
    job = services.system_check_start(created_by=owner)
    client = APIClient()
    client.force_login(owner)
    seen_states, deadline = set(), time.monotonic() + 60
    while True:
        body = client.get(f"/api/v1/jobs/{job.id}/").json()
        seen_states.add(body["status"])
        if body["status"] in ("succeeded", "failed") or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert body["status"] == "succeeded", body["error"]
    assert body["progress"] == 1.0
    assert body["result"]["duckdb_answer"] == 42
    assert body["result"]["data_dir"] == str(settings.DATA_DIR)
    assert body["started_at"] and body["finished_at"]


def test_readyz_answers_ok_with_a_worker(worker, api):
    response = api.get("/readyz")
    assert response.status_code == 200, response.json()
    assert {name: check["status"] for name, check in response.json()["checks"].items()} == {
        "database": "ok",
        "redis": "ok",
        "worker": "ok",
    }
