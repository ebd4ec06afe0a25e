"""A task that kills the worker process running it, every time: loaded only by the fault tests' worker."""

import os
import signal

from celery import shared_task

from apps.jobs.models import Job
from apps.jobs.tasks import JobTask


@shared_task(base=JobTask, name="tests.kill_own_worker")
def kill_own_worker(*, job_id: str) -> None:
    job = Job.objects.get(pk=job_id)
    job.report(0.5, "Running", "About to take the worker down")
    os.kill(os.getpid(), signal.SIGKILL)
