"""Async statements through a real Celery worker and Redis: result pages and export, progress, cancel."""

import csv
import time

from rest_framework.test import APIClient

SLOW = "SELECT count(*) AS n FROM range({n}) t(i) WHERE i % 7 = 3"


def wait_for(client, job_id, until, timeout=90):
    deadline, seen = time.monotonic() + timeout, []
    while True:
        body = client.get(f"/api/v1/jobs/{job_id}/").json()
        seen.append(body)
        if until(body) or time.monotonic() > deadline:
            return body, seen
        time.sleep(0.1)


def finished(body) -> bool:
    return body["status"] in ("succeeded", "failed")


def start(client, statement, **body):
    response = client.post("/api/v1/sql/", {"sql": statement, "async": True, **body}, format="json")
    assert response.status_code == 202, response.json()
    return response.json()["job"]["id"]


def test_async_run_pages_exports_and_stays_private(worker, owner, viewer, weather):
    client = APIClient()
    client.force_login(owner)
    job_id = start(client, "SELECT station, temp_max FROM weather ORDER BY temp_max DESC", workspace="acme")
    body, _ = wait_for(client, job_id, finished)
    assert body["status"] == "succeeded", body["error"]
    result = body["result"]
    assert result["row_count"] == 4
    assert result["columns"] == [{"name": "station", "type": "text"}, {"name": "temp_max", "type": "float"}]
    assert result["rows_url"] == f"/api/v1/sql/results/{job_id}/rows/"
    page = client.get(result["rows_url"] + "?_size=2&_offset=1").json()
    assert page["total"] == 4
    assert page["rows"] == [{"station": "00777", "temp_max": 9.0}, {"station": "00501", "temp_max": 8.5}]
    export = client.get(f"/api/v1/sql/results/{job_id}/export/?format=csv")
    assert list(csv.reader(b"".join(export.streaming_content).decode().splitlines())) == [
        ["station", "temp_max"],
        ["00502", "12"],
        ["00777", "9"],
        ["00501", "8.5"],
        ["00501", "6.25"],
    ]
    other = APIClient()
    other.force_login(viewer)
    assert other.get(result["rows_url"]).status_code == 404
    assert other.get(f"/api/v1/jobs/{job_id}/").status_code == 404


def test_async_progress_then_cancel(worker, owner, editor, workspace):
    client = APIClient()
    client.force_login(owner)
    job_id = start(client, SLOW.format(n=400_000_000))
    body, seen = wait_for(client, job_id, finished)
    assert body["status"] == "succeeded", body["error"]
    assert body["result"]["row_count"] == 1
    fractions = [b["progress"] for b in seen if b["status"] == "running"]
    assert any(0 < f < 1 for f in fractions), fractions  # DuckDB's own progress reached the job
    assert fractions == sorted(fractions)

    never_ends = start(client, "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT max(n) FROM t")
    running, _ = wait_for(client, never_ends, lambda b: b["status"] == "running")
    assert running["status"] == "running"
    someone_else = APIClient()
    someone_else.force_login(editor)
    assert someone_else.delete(f"/api/v1/jobs/{never_ends}/").status_code == 404  # not theirs, not in a workspace
    cancelled = client.delete(f"/api/v1/jobs/{never_ends}/")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "failed" and cancelled.json()["error"] == "Cancelled by Olive Owner."
    # The worker stops the statement (it polls its job) and is free for the next one.
    after = start(client, "SELECT 42 AS answer")
    body, _ = wait_for(client, after, finished, timeout=60)
    assert body["status"] == "succeeded", body["error"]
    final = client.get(f"/api/v1/jobs/{never_ends}/").json()
    assert final["status"] == "failed" and final["error"] == "Cancelled by Olive Owner."
    assert client.delete(f"/api/v1/jobs/{never_ends}/").status_code == 400  # finished: nothing to cancel


def test_a_refused_async_statement_is_refused_at_once(owner, api):
    api.force_login(owner)
    response = api.post("/api/v1/sql/", {"sql": "SELECT * FROM glob('/*')", "async": True}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "sql_not_allowed"
