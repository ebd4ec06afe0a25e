"""The base of every job task, and the system check job.

Tasks are sent by name (`apps.jobs.services.job_create`), so no service imports a task module.
"""

import logging
import socket
from pathlib import Path

import duckdb
from celery import Task, shared_task
from celery.exceptions import Reject
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from apps.jobs.errors import JobError, readable_error
from apps.jobs.models import Job
from apps.jobs.services import jobs_fail_abandoned

logger = logging.getLogger(__name__)


def job_of(kwargs: dict) -> Job | None:
    job = Job.objects.filter(pk=kwargs.get("job_id")).first()
    if job is None:
        logger.warning("job %s does not exist; its task runs unrecorded", kwargs.get("job_id"))
    return job


GIVEN_UP = (
    "The worker running this job stopped abruptly {n} times in a row (killed, or out of memory), "
    "so the job was given up. Try again; if it happens again, the input may need more memory than the worker has."
)


class JobTask(Task):
    """Records the job's lifecycle: running, then succeeded with the task's return value as the
    result, or failed with a readable error whatever the exception.

    A worker process that dies mid-task (SIGKILL, out of memory) hands the task back to the queue
    (`task_reject_on_worker_lost`), so the job runs again. A job whose runs never come back is given up
    after `JOB_MAX_DELIVERIES` such starts, instead of taking down worker after worker forever: each start
    counts in Redis, and every run that ends (in success, failure or a retry) clears the count.
    """

    def __call__(self, *args, **kwargs):
        job_id = kwargs.get("job_id")
        if job_id and not self.request.is_eager:
            key = f"job-unfinished-starts:{job_id}"
            cache.add(key, 0, timeout=24 * 3600)
            starts = cache.incr(key)
            if starts > settings.JOB_MAX_DELIVERIES:
                message = GIVEN_UP.format(n=starts - 1)
                if job := job_of(kwargs):
                    job.mark_failed(message)
                cache.delete(key)
                raise Reject(message, requeue=False)
        return super().__call__(*args, **kwargs)

    def after_return(self, status, retval, task_id, args, kwargs, einfo):
        if kwargs.get("job_id"):
            cache.delete(f"job-unfinished-starts:{kwargs['job_id']}")

    def before_start(self, task_id, args, kwargs):
        if job := job_of(kwargs):
            job.mark_running()

    def on_success(self, retval, task_id, args, kwargs):
        if job := job_of(kwargs):
            job.mark_succeeded(retval)

    def on_retry(self, exc, task_id, args, kwargs, einfo):
        if job := job_of(kwargs):
            job.report(job.progress, message=f"Retrying after: {readable_error(exc)}")

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        logger.error("job %s failed", kwargs.get("job_id"), exc_info=(type(exc), exc, exc.__traceback__))
        if job := job_of(kwargs):
            job.mark_failed(readable_error(exc))


@shared_task(base=JobTask, name="jobs.check_system")
def check_system(*, job_id: str, probe_name: str, probe_text: str) -> dict:
    """Prove a worker reaches the database, the shared data directory and DuckDB."""
    job = Job.objects.get(pk=job_id)
    job.report(0.1, "Database", "Querying the metadata database")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    job.report(0.4, "Data directory", f"Reading the probe file in {settings.DATA_DIR}")
    probe = Path(settings.DATA_DIR) / "probes" / probe_name
    if not probe.exists() or probe.read_text() != probe_text:
        raise JobError(f"The worker cannot read {probe}: web and worker must share DATA_DIR ({settings.DATA_DIR}).")
    probe.unlink()
    job.report(0.7, "DuckDB", "Running a query in DuckDB")
    with duckdb.connect() as db:
        answer = db.execute("SELECT 21 * 2").fetchone()[0]
    return {
        "worker": socket.gethostname(),
        "data_dir": str(settings.DATA_DIR),
        "duckdb": duckdb.__version__,
        "duckdb_answer": answer,
    }


@shared_task(name="jobs.fail_abandoned")
def fail_abandoned_jobs() -> int:
    """Run by Celery beat: fail jobs whose worker died, so no progress bar waits forever."""
    return jobs_fail_abandoned()
