"""The datasets' Celery tasks: each takes primitive ids, loads the rows and calls a service."""

from celery import shared_task
from django.conf import settings

from apps.datasets import diffs, services
from apps.datasets.models import Dataset, Version
from apps.jobs.errors import JobError
from apps.jobs.models import Job
from apps.jobs.tasks import JobTask
from dataplane.engine import QueryError


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


@shared_task(
    base=JobTask,
    name="datasets.diff_versions",
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def diff_versions_task(*, job_id: str, dataset_id: str, a: int, b: int, key: list[str]) -> dict:
    """Compare two large versions; the answer lands in the diff cache for the API and the compare page."""
    Job.objects.get(pk=job_id).report(0.1, "Comparing", f"Version {a} with version {b}")
    dataset = Dataset.objects.get(pk=dataset_id)
    try:
        return diffs.diff_run(dataset=dataset, a=a, b=b, key=key)
    except QueryError as error:
        raise JobError(error.message) from None
