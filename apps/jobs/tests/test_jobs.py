from rest_framework.test import APIClient

from apps.jobs import services
from apps.jobs.models import Job, JobStatus


def test_a_job_runs_through_its_stages_and_records_the_result(owner, eager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.system_check_start(created_by=owner)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.progress == 1.0
    assert job.result["duckdb_answer"] == 42
    assert job.started_at <= job.finished_at


def test_a_job_error_is_shown_as_written(owner, eager, django_capture_on_commit_callbacks, settings):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = services.system_check_start(created_by=owner)
    for probe in (settings.DATA_DIR / "probes").iterdir():
        probe.unlink()  # as if the worker had a different DATA_DIR
    callbacks[0]()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "web and worker must share DATA_DIR" in job.error
    assert job.stage == "Data directory"


def test_an_unexpected_exception_becomes_a_readable_failure(
    owner, eager, monkeypatch, django_capture_on_commit_callbacks
):
    import duckdb

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(duckdb, "connect", broken)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.system_check_start(created_by=owner)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "The job stopped on an unexpected error (RuntimeError: disk on fire)."


def test_job_is_not_sent_before_the_transaction_commits(owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = services.system_check_start(created_by=owner)
    assert len(callbacks) == 1
    assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED


def test_job_api_shows_the_callers_jobs_only(owner, outsider):
    job = Job.objects.create(kind="ingest", created_by=owner, progress=0.25, stage="Parsing", status="running")
    client = APIClient()
    client.force_login(owner)
    body = client.get(f"/api/v1/jobs/{job.id}/").json()
    assert body["status"] == "running"
    assert body["progress"] == 0.25
    assert body["stage"] == "Parsing"
    assert set(body) == {
        "id",
        "kind",
        "status",
        "progress",
        "stage",
        "message",
        "error",
        "result",
        "created_at",
        "started_at",
        "finished_at",
    }
    client.force_login(outsider)
    response = client.get(f"/api/v1/jobs/{job.id}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_workspace_members_see_the_workspace_jobs(workspace, owner, viewer):
    job = Job.objects.create(kind="ingest", created_by=owner, workspace=workspace)
    client = APIClient()
    client.force_login(viewer)
    assert client.get(f"/api/v1/jobs/{job.id}/").status_code == 200


def test_home_page_mounts_a_progress_island_for_running_jobs(owner):
    running = Job.objects.create(kind="ingest", created_by=owner, status="running")
    Job.objects.create(kind="export", created_by=owner, status="failed", error="The file was empty.")
    client = APIClient()
    client.force_login(owner)
    page = client.get("/").content.decode()
    assert 'data-island="job-progress"' in page
    assert f'"jobId": "{running.id}"' in page
    assert "The file was empty." in page


def test_a_job_whose_worker_died_is_failed_and_its_version_too(owner, workspace, make_dataset, settings):
    from datetime import timedelta

    from django.utils import timezone

    from apps.datasets.models import Version
    from apps.datasets.services import versions_fail_orphaned
    from apps.jobs.services import jobs_fail_abandoned

    dataset = make_dataset(workspace)
    stuck = Job.objects.create(kind="ingest", created_by=owner, status="running", progress=0.4)
    fresh = Job.objects.create(kind="ingest", created_by=owner, status="running", started_at=timezone.now())
    long_ago = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 600)
    Job.objects.filter(pk=stuck.pk).update(started_at=long_ago)
    version = Version.objects.create(
        dataset=dataset, number=2, source_kind="upload", source_name="x.csv", status="processing", job=stuck
    )

    assert jobs_fail_abandoned() == 1
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert stuck.status == "failed" and "stopped without reporting back" in stuck.error
    assert fresh.status == "running"
    assert versions_fail_orphaned() == 1
    version.refresh_from_db()
    assert version.status == "failed" and version.error == stuck.error
    dataset.refresh_from_db()
    assert dataset.current_version.number == 1
