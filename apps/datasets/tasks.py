"""The datasets' Celery tasks: each takes primitive ids, loads the rows and calls a service."""

from celery import shared_task
from django.conf import settings

from apps.datasets import services
from apps.datasets.models import Version
from apps.jobs.models import Job
from apps.jobs.tasks import JobTask


@shared_task(
    base=JobTask,
    name="datasets.ingest_version",
    bind=True,
    autoretry_for=services.RETRYABLE_ERRORS,
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=3,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def ingest_version_task(task, *, job_id: str, version_id: int) -> dict:
    """Ingest one version: download (for URLs), parse, type, write Parquet, profile, publish.

    Bad input fails the job with the ingest's own words (a JobError); a passing failure (the database,
    or a URL download's reset connection or 5xx answer) is retried with backoff, which the ingest allows
    by leaving the version in progress until the last attempt."""
    job = Job.objects.get(pk=job_id)
    version = Version.objects.select_related("dataset").get(pk=version_id)
    last_attempt = task.request.retries >= task.max_retries
    return services.ingest_version(version=version, progress=job.report, last_attempt=last_attempt)


@shared_task(name="datasets.fail_orphaned_versions")
def fail_orphaned_versions() -> int:
    """Run by Celery beat after jobs.fail_abandoned."""
    return services.versions_fail_orphaned()
