"""Faults with the real worker and Redis: a pool process killed mid-ingest, a task that kills every worker."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from apps.datasets import services as datasets
from apps.datasets.models import Dataset, Version, VersionStatus
from apps.jobs.models import Job, JobStatus
from apps.jobs.services import job_create
from conftest import database_url
from project.celery import app as celery_app


@pytest.fixture
def prefork_worker(transactional_db):
    """A worker with a pool process (as production runs it), that also knows the poison task."""
    env = {
        **os.environ,
        "REDIS_URL": settings.REDIS_URL,
        "DATABASE_URL": database_url(),
        "DATA_DIR": str(settings.DATA_DIR),
    }
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "celery"), "-A", "project", "worker", "--pool", "prefork",
         "--concurrency", "1", "--include", "apps.jobs.tests.poison", "--loglevel", "WARNING",
         "--hostname", f"faults-{os.getpid()}@%h", "--without-gossip", "--without-mingle"],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not celery_app.control.ping(timeout=0.5):
        assert process.poll() is None and time.monotonic() < deadline, "the Celery worker did not start"
    yield process
    process.terminate()
    process.wait(timeout=30)


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    raise AssertionError(f"{what} within {seconds} s")


def pool_processes(worker) -> list[psutil.Process]:
    return psutil.Process(worker.pid).children()


def large_csv(rows: int) -> bytes:
    lines = ["id,city,temp,day"] + [f"{i},city{i % 97},{(i * 7) % 40}.5,2024-01-{1 + i % 28:02d}" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def test_a_pool_process_killed_mid_ingest_ends_in_a_whole_version(prefork_worker, owner, workspace):
    small = SimpleUploadedFile("cities.csv", b"id,city,temp,day\n1,Oslo,3.5,2024-01-01\n")
    dataset, first, _ = datasets.dataset_upload(workspace=workspace, created_by=owner, file=small)
    wait_for(lambda: Version.objects.get(pk=first.pk).is_ready, 60, "the first version is not ready")

    big = SimpleUploadedFile("cities.csv", large_csv(1_500_000))
    with transaction.atomic():
        second, job = datasets.version_create(dataset=dataset, created_by=owner, uploaded_file=big)
    stage = wait_for(
        lambda: (j := Job.objects.get(pk=job.pk)).status == JobStatus.RUNNING and j.progress > 0.15 and j.stage,
        90,
        "the ingest did not get going",
    )
    victims = pool_processes(prefork_worker)
    assert victims, "the worker has no pool process"
    for victim in victims:
        victim.send_signal(signal.SIGKILL)
    # Readers meanwhile see the previous version, whole, and never a half-written file of the new one.
    assert Dataset.objects.get(pk=dataset.pk).current_version_id == first.pk
    assert not second.path.exists()

    done = wait_for(lambda: (j := Job.objects.get(pk=job.pk)).is_finished and j, 180, "the job did not finish")
    second.refresh_from_db()
    if done.status == JobStatus.SUCCEEDED:  # delivered again, and run to the end
        assert second.status == VersionStatus.READY and second.row_count == 1_500_000
        assert Dataset.objects.get(pk=dataset.pk).current_version_id == second.pk
    else:
        assert done.error and "Traceback" not in done.error
        assert Dataset.objects.get(pk=dataset.pk).current_version_id == first.pk
    print(f"killed during {stage!r}; the job ended {done.status}")

    third_file = SimpleUploadedFile("cities.csv", b"id,city,temp,day\n2,Lima,19.5,2024-02-01\n")
    with transaction.atomic():
        third, _ = datasets.version_create(dataset=dataset, created_by=owner, uploaded_file=third_file)
    wait_for(lambda: Version.objects.get(pk=third.pk).is_ready, 90, "the next ingest did not work")


def test_a_task_that_kills_every_worker_is_given_up(prefork_worker, owner, settings):
    with transaction.atomic():
        job = job_create(kind="poison", task_name="tests.kill_own_worker", created_by=owner)
    failed = wait_for(
        lambda: (j := Job.objects.get(pk=job.pk)).status == JobStatus.FAILED and j, 120, "the job was not given up"
    )
    assert f"stopped abruptly {settings.JOB_MAX_DELIVERIES} times" in failed.error
    assert prefork_worker.poll() is None  # the worker itself lives on, and takes the next job
    with transaction.atomic():
        from apps.jobs.services import system_check_start

        check = system_check_start(created_by=owner)
    wait_for(lambda: Job.objects.get(pk=check.pk).status == JobStatus.SUCCEEDED, 60, "the next job did not run")
