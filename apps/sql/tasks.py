"""SQL jobs: an async statement, a derived dataset's new version, its rebuilds, and removing old results."""

from celery import shared_task
from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from apps.accounts.models import User
from apps.datasets.models import Version
from apps.jobs.models import Job
from apps.jobs.tasks import JobTask

from . import caps, services

# The hard limit leaves the statement's own time limit room to stop it first and say so.
ASYNC_LIMITS = {"soft_time_limit": settings.SQL_ASYNC_TIME_LIMIT + 30, "time_limit": settings.SQL_ASYNC_TIME_LIMIT + 60}


@shared_task(base=JobTask, name="sql.run", **ASYNC_LIMITS)
def run_sql_task(*, job_id: str, sql: str, user_id: int, workspace_slug: str | None) -> dict:
    """Run one statement into its result file; the job's result is `{columns, row_count, rows_url}`.

    It holds its account's and workspace's slot (apps.sql.caps) until it ends, however it ends."""
    slot = {"job_id": job_id, "user_id": user_id, "workspace_slug": workspace_slug}
    caps.job_running(**slot)
    try:
        job = Job.objects.get(pk=job_id)
        user = User.objects.filter(pk=user_id).first() or AnonymousUser()
        return services.sql_job_run(job=job, sql=sql, user=user, workspace_slug=workspace_slug)
    finally:
        caps.job_finished(**slot)


@shared_task(
    base=JobTask,
    name="sql.build_derived_version",
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def build_derived_version_task(*, job_id: str, version_id: int) -> dict:
    """Compute one version of a derived dataset from its query, then ingest it like any upload."""
    job = Job.objects.get(pk=job_id)
    version = Version.objects.select_related("dataset").get(pk=version_id)
    return services.derived_version_build(version=version, progress=job.report)


@shared_task(name="sql.rebuild_derived")
def rebuild_derived_task(*, dataset_id: str) -> int:
    """Sent when a dataset gets a new current version: queue its derived datasets' rebuilds."""
    return services.derived_rebuild_for(dataset_id=dataset_id)


@shared_task(name="sql.remove_old_results")
def remove_old_results_task() -> int:
    """Run by Celery beat: async results are kept for a day."""
    return services.results_remove_old()
