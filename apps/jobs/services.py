"""Creating jobs and handing them to Celery, by task name, once the transaction commits."""

import secrets
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from apps.jobs.models import Job, JobStatus


def job_create(*, kind: str, task_name: str, created_by=None, workspace=None, task_kwargs: dict | None = None) -> Job:
    """A queued job whose task (`task_name`, as registered with Celery) is sent to the workers after
    the surrounding transaction commits, so a worker never looks for a row that is not there yet.

    The task receives `job_id` plus `task_kwargs`; the job id is also the Celery task id.
    """
    job = Job.objects.create(kind=kind, created_by=created_by, workspace=workspace, stage="Waiting for a worker")
    signature = current_app.signature(task_name, kwargs={"job_id": str(job.id), **(task_kwargs or {})})

    def enqueue() -> None:
        try:
            signature.apply_async(task_id=str(job.id))
        except OperationalError:
            job.mark_failed("The job could not be queued: the job queue (Redis) did not answer. Try again in a moment.")
            raise

    transaction.on_commit(enqueue)
    return job


def jobs_fail_abandoned(*, now=None) -> int:
    """Fail running jobs whose worker vanished (killed, out of memory, machine restarted): nothing
    else would ever finish them. A job is abandoned once it has run past the hard time limit."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 300)
    abandoned = Job.objects.filter(status=JobStatus.RUNNING, started_at__lt=cutoff)
    return abandoned.update(
        status=JobStatus.FAILED,
        finished_at=now,
        error="The worker running this job stopped without reporting back (restarted, or out of memory). Try again.",
    )


def system_check_start(*, created_by=None) -> Job:
    """Queue a job that proves a worker shares the database and DATA_DIR, and has DuckDB."""
    name, text = f"{secrets.token_hex(8)}.txt", secrets.token_hex(16)
    probes = settings.DATA_DIR / "probes"
    probes.mkdir(parents=True, exist_ok=True)
    (probes / name).write_text(text)
    return job_create(
        kind="system_check",
        task_name="jobs.check_system",
        created_by=created_by,
        task_kwargs={"probe_name": name, "probe_text": text},
    )
