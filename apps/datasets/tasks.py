from celery import shared_task
from django.conf import settings

from apps.datasets import services
from apps.datasets.models import Version
from apps.jobs.models import Job
from apps.jobs.tasks import JobError, JobTask


@shared_task(
    base=JobTask,
    name="datasets.ingest_version",
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def ingest_version_task(*, job_id: str, version_id: int) -> dict:
    """Ingest one version: download (for URLs), parse, type, write Parquet, profile, publish."""
    job = Job.objects.get(pk=job_id)
    version = Version.objects.select_related("dataset").get(pk=version_id)
    try:
        return services.ingest_version(version=version, progress=job.report)
    except services.IngestFailed as error:
        raise JobError(str(error)) from None


@shared_task(name="datasets.fail_orphaned_versions")
def fail_orphaned_versions() -> int:
    """Run by Celery beat after jobs.fail_abandoned."""
    return services.versions_fail_orphaned()
