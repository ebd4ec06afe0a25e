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
    autoretry_for=services.RETRYABLE_ERRORS,
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=3,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def ingest_version_task(*, job_id: str, version_id: int) -> dict:
    """Ingest one version: download (for URLs), parse, type, write Parquet, profile, publish.

    Bad input fails the job with the ingest's own words (a JobError); a passing database failure is
    retried with backoff, which the ingest allows by leaving the version in progress."""
    job = Job.objects.get(pk=job_id)
    version = Version.objects.select_related("dataset").get(pk=version_id)
    return services.ingest_version(version=version, progress=job.report)


@shared_task(name="datasets.fail_orphaned_versions")
def fail_orphaned_versions() -> int:
    """Run by Celery beat after jobs.fail_abandoned."""
    return services.versions_fail_orphaned()
