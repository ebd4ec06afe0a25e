"""Celery tasks of the integrations: each loads its objects by id and calls one service."""

from celery import shared_task
from django.conf import settings

from apps.datasets.models import Version
from apps.integrations import events, refresh, webhooks
from apps.integrations.models import Delivery, Schedule
from apps.jobs.errors import JobError
from apps.jobs.models import Job
from apps.jobs.tasks import JobTask


@shared_task(name="integrations.version_event")
def version_event(*, version_id: int, event: str) -> None:
    """Sent by the datasets app (by name) when a version becomes ready or fails."""
    version = Version.objects.select_related("dataset__workspace").filter(pk=version_id).first()
    if version is not None:
        events.version_event_handle(version=version, event=event)


@shared_task(name="integrations.deliver_webhook", acks_late=True)
def deliver_webhook(*, delivery_id: int) -> None:
    """One attempt of one delivery; a failed attempt queues the next one itself (webhooks.RETRY_DELAYS:
    a fixed schedule of 6 attempts over about an hour, which Celery's doubling `retry_backoff` cannot give
    with a first retry within a minute)."""
    delivery = Delivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is not None:
        webhooks.delivery_send(delivery=delivery)


@shared_task(
    base=JobTask,
    name="integrations.refresh_dataset",
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def refresh_dataset(*, job_id: str, schedule_id: int) -> dict:
    """Fetch a dataset's URL again; a new version only if the file changed. Result: {changed, version}."""
    job = Job.objects.get(pk=job_id)
    schedule = Schedule.objects.select_related("dataset__workspace").filter(pk=schedule_id).first()
    if schedule is None:
        raise JobError("The dataset's refresh schedule was deleted before this run started.")
    try:
        return refresh.refresh_run(schedule=schedule, progress=job.report)
    except refresh.RefreshFailed as error:
        raise JobError(str(error)) from None


@shared_task(name="integrations.run_due_refreshes")
def run_due_refreshes() -> int:
    """Run by Celery beat every minute: start the refreshes that are due."""
    return refresh.schedules_run_due()
