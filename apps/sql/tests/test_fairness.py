"""Fairness through real workers and Redis (DESIGN.md: "one account's queries cannot delay another's
ingest"): one account fills its cap with statements that never end, and another workspace's upload is
still ready within seconds, taken in by the default queue's worker while the queries worker is busy."""

import time

from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from apps.accounts import services as accounts

FOREVER = "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT max(n) FROM t"


def job_of(client, job_id) -> dict:
    return client.get(f"/api/v1/jobs/{job_id}/").json()


def wait_for(client, job_id, until, timeout=60) -> dict:
    deadline = time.monotonic() + timeout
    while not until(body := job_of(client, job_id)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return body


def finished(body) -> bool:
    return body["status"] in ("succeeded", "failed")


def test_an_upload_is_ready_while_another_account_fills_its_query_cap(
    queue_workers, owner, workspace, make_user, settings
):
    settings.SQL_MAX_RUNNING_PER_USER = 2
    reader = APIClient()
    reader.force_login(owner)
    statements = []
    for _ in range(2):
        response = reader.post("/api/v1/sql/", {"sql": FOREVER, "async": True}, format="json")
        assert response.status_code == 202, response.json()
        statements.append(response.json()["job"]["id"])
    refused = reader.post("/api/v1/sql/", {"sql": FOREVER, "async": True}, format="json")
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "too_many_queries"
    try:
        assert wait_for(reader, statements[0], lambda b: b["status"] != "queued")["status"] == "running"

        uploader = make_user("uploader@example.com", name="Uma Uploader")
        accounts.workspace_create(name="Other Team", slug="other", owner=uploader)
        other = APIClient()
        other.force_login(uploader)
        began = time.monotonic()
        upload = other.post(
            "/api/v1/datasets/upload/",
            {"workspace": "other", "file": SimpleUploadedFile("one.csv", b"city,temp\nOslo,3\n")},
            format="multipart",
        )
        assert upload.status_code == 202, upload.json()
        ingest = wait_for(other, upload.json()["job"]["id"], finished, timeout=60)
        took = time.monotonic() - began
        assert ingest["status"] == "succeeded", ingest["error"]
        assert took < 30, f"the upload took {took:.1f} s to be ready"
        version = other.get(f"/api/v1/datasets/{upload.json()['dataset']['id']}/versions/1/").json()
        assert version["status"] == "ready" and version["row_count"] == 1
        # The statements were still there all along: one running, the other waiting for the queries worker.
        assert [job_of(reader, job_id)["status"] for job_id in statements] == ["running", "queued"]
    finally:
        for job_id in statements:
            reader.delete(f"/api/v1/jobs/{job_id}/")
        for job_id in statements:
            wait_for(reader, job_id, finished, timeout=30)


def test_user_queries_are_routed_to_their_own_queue():
    from project.celery import app

    def queue_of(task_name: str) -> str:
        return app.amqp.router.route({}, task_name)["queue"].name

    assert queue_of("sql.run") == queue_of("sql.build_derived_version") == "queries"
    for task_name in ("datasets.ingest_version", "integrations.refresh_dataset", "integrations.deliver_webhook"):
        assert queue_of(task_name) == "celery"
