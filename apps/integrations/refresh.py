"""Scheduled refresh: fetching a URL-imported dataset again, and a new version only when the file changed.

A run downloads with the URL import's address checks, asking conditionally (`If-None-Match`,
`If-Modified-Since` from the last run). A 304, or a file whose SHA-256 equals the last one, is recorded as
"unchanged" and makes no version. A changed file becomes a version through `version_create`, the same path as
any new version (so the dataset's recipe applies); the downloaded file is handed to it, not fetched twice.
A failed run (download refused or broken, or the new version's ingest failing) keeps the current version,
tells the workspace's editors and webhooks, and after MAX_FAILURES in a row pauses the schedule.

Runs start from `schedules_run_due`, a sweep that Celery beat calls every minute: each due schedule is
claimed by moving its `next_run_at` forward in one conditional UPDATE, so two sweeps never start one run twice.
"""

import shutil
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from croniter import croniter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import Membership, Role, User
from apps.audit.services import audit_record
from apps.datasets.models import Dataset, Version
from apps.datasets.services import version_create
from apps.datasets.url_import import UrlImportError, fetch, redacted_url
from apps.integrations import webhooks
from apps.integrations.models import RefreshStatus, Schedule, WebhookEvent
from apps.jobs.models import Job
from apps.jobs.services import job_create
from apps.live.services import notify

MAX_FAILURES = 5
REFRESH_TASK = "integrations.refresh_dataset"


def clean_cron(cron: str) -> str:
    cron = " ".join((cron or "").split())
    if len(cron.split(" ")) != 5 or not croniter.is_valid(cron):
        raise ValidationError(
            {"cron": f"“{cron}” is not a five-field crontab (minute hour day month weekday), e.g. “0 6 * * *”."}
        )
    return cron


def next_run(cron: str, after: datetime | None = None) -> datetime:
    """The first time after `after` (default now) that `cron` names, read in TIME_ZONE."""
    zone = ZoneInfo(settings.TIME_ZONE)
    start = (after or timezone.now()).astimezone(zone)
    return croniter(cron, start).get_next(datetime)


def url_of(dataset: Dataset) -> str:
    """The URL the dataset was last imported from, or empty when its versions were uploads."""
    version = dataset.versions.filter(source_kind="url").order_by("-number").first()
    return version.source_name if version else ""


@transaction.atomic
def schedule_set(
    *, dataset: Dataset, cron: str, created_by: User | None, url: str = "", paused: bool = False
) -> Schedule:
    """Create or change the dataset's schedule. Resuming a paused schedule forgets its failures."""
    existing = Schedule.objects.filter(dataset=dataset).first()
    url = (url or "").strip() or (existing.url if existing else "") or url_of(dataset)
    if not url:
        raise ValidationError({"url": "This dataset was not imported from a URL; give the URL to refresh from."})
    webhooks.clean_url(url)
    cron = clean_cron(cron)
    schedule = existing or Schedule(dataset=dataset, created_by=created_by)
    if schedule.url and schedule.url != url:
        schedule.etag = schedule.last_modified = schedule.content_hash = ""
    if schedule.paused and not paused:
        schedule.consecutive_failures = 0
        schedule.paused_reason = ""
    schedule.url, schedule.cron, schedule.paused = url, cron, paused
    schedule.next_run_at = None if paused else next_run(cron)
    schedule.save()
    audit_record(
        action="schedule.changed", workspace=dataset.workspace, target=dataset,
        details={"cron": cron, "paused": paused},
    )  # fmt: skip
    return schedule


def schedule_delete(*, schedule: Schedule) -> None:
    audit_record(action="schedule.deleted", workspace=schedule.dataset.workspace, target=schedule.dataset)
    schedule.delete()


@transaction.atomic
def refresh_start(*, schedule: Schedule, created_by: User | None) -> Job:
    """A refresh job for the schedule's dataset, sent to the workers when this transaction commits."""
    job = job_create(
        kind="refresh",
        task_name=REFRESH_TASK,
        created_by=created_by,
        workspace=schedule.dataset.workspace,
        task_kwargs={"schedule_id": schedule.pk},
    )
    Schedule.objects.filter(pk=schedule.pk).update(job=job)
    return job


def schedules_run_due(*, now: datetime | None = None) -> int:
    """Start a refresh for every schedule that is due; the number started."""
    now = now or timezone.now()
    started = 0
    for schedule in Schedule.objects.filter(paused=False, next_run_at__lte=now).select_related("dataset__workspace"):
        claimed = Schedule.objects.filter(pk=schedule.pk, paused=False, next_run_at=schedule.next_run_at).update(
            next_run_at=next_run(schedule.cron, now)
        )
        if claimed:
            refresh_start(schedule=schedule, created_by=schedule.created_by)
            started += 1
    return started


class RefreshFailed(Exception):
    """The run failed; the text says why, for the person reading the job or the schedule."""


def refresh_run(*, schedule: Schedule, progress) -> dict:
    """Fetch the schedule's URL and make a version if the file changed: `{changed, version}`.

    Raises RefreshFailed after recording the failure (and pausing the schedule at the fifth in a row).
    """
    work = settings.DATA_DIR / "uploads" / f"refresh-{schedule.pk}-{uuid.uuid4().hex[:12]}"
    source = work / "source"
    progress(0.0, "Downloading", redacted_url(schedule.url))

    def on_bytes(done: int, total: int | None) -> None:
        progress(0.9 * done / total if total else 0.0, "Downloading", f"{done / 1e6:,.1f} MB received")

    try:
        fetched = fetch(
            schedule.url,
            source,
            max_bytes=settings.UPLOAD_MAX_BYTES,
            timeout=settings.URL_IMPORT_TIMEOUT,
            etag=schedule.etag,
            last_modified=schedule.last_modified,
            progress=lambda done, total: progress(
                0.9 * done / total if total else 0.0, "Downloading", f"{done:,} bytes"
            ),
        )
        if fetched.not_modified or (schedule.content_hash and fetched.sha256 == schedule.content_hash):
            run_unchanged(schedule, fetched)
            return {"changed": False, "version": None}
        version = run_changed(schedule, fetched, source)
        return {"changed": True, "version": version.number}
    except UrlImportError as error:
        run_failed(schedule, str(error))
        raise RefreshFailed(str(error)) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_unchanged(schedule: Schedule, fetched) -> None:
    Schedule.objects.filter(pk=schedule.pk).update(
        last_run_at=timezone.now(),
        last_status=RefreshStatus.UNCHANGED,
        last_error="",
        consecutive_failures=0,
        etag=fetched.etag or schedule.etag,
        last_modified=fetched.last_modified or schedule.last_modified,
    )


@transaction.atomic
def run_changed(schedule: Schedule, fetched, source) -> Version:
    version, _ = version_create(dataset=schedule.dataset, created_by=schedule.created_by, url=schedule.url)
    # The ingest reads a source already in place instead of downloading it again.
    version.upload_dir.mkdir(parents=True, exist_ok=True)
    shutil.move(source, version.upload_dir / "source")
    Version.objects.filter(pk=version.pk).update(source_size=fetched.size)
    Schedule.objects.filter(pk=schedule.pk).update(
        last_run_at=timezone.now(),
        last_status=RefreshStatus.CHANGED,
        last_error="",
        last_version=version.number,
        pending_version=version.number,
        consecutive_failures=0,
        etag=fetched.etag,
        last_modified=fetched.last_modified,
        content_hash=fetched.sha256,
    )
    return version


@transaction.atomic
def run_failed(schedule: Schedule, error: str, *, version_number: int | None = None) -> Schedule | None:
    """Record a failed run: count it, pause at MAX_FAILURES in a row, tell editors and webhooks.
    Nothing to record when the schedule was deleted while the run went on."""
    schedule = Schedule.objects.select_for_update().select_related("dataset__workspace").filter(pk=schedule.pk).first()
    if schedule is None:
        return None
    schedule.consecutive_failures += 1
    schedule.last_run_at = timezone.now()
    schedule.last_status = RefreshStatus.FAILED
    schedule.last_error = error[:2000]
    if schedule.consecutive_failures >= MAX_FAILURES:
        schedule.paused = True
        schedule.next_run_at = None
        schedule.paused_reason = f"Paused after {schedule.consecutive_failures} failed refreshes in a row."
    schedule.save()
    dataset = schedule.dataset
    message = f"Refreshing “{dataset.title}” failed: {error}"
    if schedule.paused:
        message += f" {schedule.paused_reason} Resume it on the dataset page."
    tell_editors(dataset, message)
    webhooks.event_send(
        workspace=dataset.workspace,
        event=WebhookEvent.REFRESH_FAILED,
        data={
            "dataset": webhooks.dataset_data(dataset),
            "version": {"number": version_number, "row_count": None, "error": error},
        },
    )
    return schedule


def tell_editors(dataset: Dataset, message: str) -> None:
    """Notify the workspace's editors and owners (the people who can fix the schedule)."""
    editors = Membership.objects.filter(workspace=dataset.workspace, role__in=[Role.EDITOR, Role.OWNER])
    notify(
        users=editors.values_list("user_id", flat=True),
        kind="refresh_failed",
        message=message,
        url=dataset.get_absolute_url() + "#refresh",
    )


def version_settled(*, version: Version, event: str) -> None:
    """A version's ingest ended: settle the refresh that created it, if one did.

    A refresh whose new version failed counts as a failed run; the file's validators are forgotten so the
    next run fetches it whole again instead of calling it unchanged.
    """
    schedule = Schedule.objects.filter(dataset_id=version.dataset_id, pending_version=version.number).first()
    if schedule is None:
        return
    Schedule.objects.filter(pk=schedule.pk).update(pending_version=None)
    if event == WebhookEvent.VERSION_FAILED:
        Schedule.objects.filter(pk=schedule.pk).update(etag="", last_modified="", content_hash="")
        run_failed(schedule, f"Version {version.number} failed: {version.error}", version_number=version.number)
