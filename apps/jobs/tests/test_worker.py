"""The job round trip through a real Celery worker process and a real Redis."""

import time

from django.conf import settings
from rest_framework.test import APIClient

from apps.jobs import services


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
