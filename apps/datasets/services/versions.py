"""Writes for versions: the one way to add a version, and the ingest that turns its source into data.

`version_create` queues a version and its ingest job in the caller's transaction; the job is sent by
task name once that transaction commits. `ingest_version` runs in the worker (the ingest task) and
leaves either a ready, current version or a failed one with a reason, never a half-written one.
"""

import hashlib
import shutil
from pathlib import Path

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Max
from django.utils import timezone

from apps.accounts.models import User
from apps.audit.services import audit_record
from apps.datasets.models import Dataset, Version, VersionStatus
from apps.datasets.recipes.isolated import build_version_file
from apps.datasets.recipes.selectors import recipe_snapshot
from apps.datasets.url_import import DownloadInterrupted, download, redacted_url
from apps.jobs.errors import JobError, readable_error
from apps.jobs.models import Job
from apps.jobs.services import job_create
from apps.live import events as live_events
from dataplane.ingest import IngestLimits, ingest_file

INGEST_TASK = "datasets.ingest_version"
REBUILD_DERIVED_TASK = "sql.rebuild_derived"

# Failures that pass — of the metadata database (a locked SQLite file, a dropped connection) or of a URL
# download (a reset connection, a 503): the ingest task retries them with backoff, so until its last
# attempt they leave the version in progress and its source in place.
RETRYABLE_ERRORS = (OperationalError, InterfaceError, DownloadInterrupted)


def next_version_number(dataset: Dataset) -> int:
    return (Version.objects.filter(dataset=dataset).aggregate(n=Max("number"))["n"] or 0) + 1


def version_source(*, source_kind: str, uploaded_file, url: str, source_name: str) -> tuple[str, str, int | None]:
    """(kind, name, size) of a new version's source, or ValidationError when the arguments disagree.

    "upload" is an uploaded file, "url" a URL the worker downloads; they are inferred from which of
    the two is given. A new kind of source adds its branch here.
    """
    if not source_kind:
        if (uploaded_file is None) == (not url):
            raise ValidationError("Send either a file or a URL.")
        source_kind = "upload" if uploaded_file is not None else "url"
    if source_kind == "upload":
        if uploaded_file is None or url:
            raise ValidationError("An upload needs a file, and no URL.")
        return source_kind, (source_name or uploaded_file.name)[:1000], uploaded_file.size
    if source_kind == "url":
        if not url or uploaded_file is not None:
            raise ValidationError("A URL import needs a URL, and no file.")
        return source_kind, (source_name or url)[:1000], None
    if not source_name:
        raise ValidationError(f"A version from a {source_kind} needs a source name.")
    return source_kind, source_name[:1000], None


@transaction.atomic
def version_create(
    *,
    dataset: Dataset,
    created_by: User | None,
    uploaded_file=None,
    url: str = "",
    source_kind: str = "",
    source_name: str = "",
    task_name: str = INGEST_TASK,
) -> tuple[Version, Job]:
    """A queued version from an uploaded file (moved, never copied into memory) or a URL, and the
    ingest job that will process it once this transaction commits. (A derived dataset's version, source
    kind "query", names apps/sql's task, which writes the query's result as Parquet and then ingests it.)

    Raises ValidationError when the source is unclear (neither or both of file and URL); a file that
    cannot be stored leaves no version and no partial file behind.
    """
    kind, name, size = version_source(
        source_kind=source_kind, uploaded_file=uploaded_file, url=url, source_name=source_name
    )
    Dataset.objects.select_for_update().filter(pk=dataset.pk).first()  # serialises version numbers
    version = Version.objects.create(
        dataset=dataset,
        number=next_version_number(dataset),
        source_kind=kind,
        source_name=name,
        source_size=size,
        created_by=created_by,
        **recipe_snapshot(dataset),
    )
    try:
        if uploaded_file is not None:
            store_upload(uploaded_file, version.upload_dir / "source")
        version.job = job_create(
            kind="ingest",
            task_name=task_name,
            created_by=created_by,
            workspace=dataset.workspace,
            task_kwargs={"version_id": version.pk},
        )
        version.save(update_fields=["job"])
    except BaseException:
        shutil.rmtree(version.upload_dir, ignore_errors=True)  # the rows roll back with the transaction
        raise
    return version, version.job


def store_upload(uploaded_file, destination: Path) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    if hasattr(uploaded_file, "temporary_file_path"):
        shutil.move(uploaded_file.temporary_file_path(), destination)
    else:
        with open(destination, "wb") as out:
            for chunk in uploaded_file.chunks():
                out.write(chunk)


def ingest_version(*, version: Version, progress, last_attempt: bool = True) -> dict:
    """Turn the version's source into its Parquet file, schema and profile, then make it current.

    The source is kept (`version.source_path`); type inference writes the inferred file, and the recipe the
    version recorded, if it has steps, turns that into the version's file.
    `progress(fraction, stage, message)` reports to the job. Running it again for a ready version
    changes nothing. Bad input (an IngestError, a refused URL, a recipe step that does not apply:
    JobErrors) fails the version with that reason and is raised again; so is any other error, except a
    passing failure (RETRYABLE_ERRORS), which leaves the version in progress for the task to retry unless
    this is its `last_attempt`.
    """
    if version.status == VersionStatus.READY:
        return version_summary(version)
    Version.objects.filter(pk=version.pk).update(status=VersionStatus.PROCESSING)
    source = version.upload_dir / "source"
    try:
        if source.exists() and not version.source_path.exists():
            keep_source(source, version.source_path)
        if version.source_kind == "url" and not version.source_path.exists():

            def on_bytes(done: int, total: int | None) -> None:
                fraction = 0.3 * done / total if total else 0.0
                progress(fraction, "Downloading", f"{done / 1e6:,.1f} MB received")

            progress(0.0, "Downloading", redacted_url(version.source_name))
            partial = source.with_name("source.part")  # a retried ingest never reads half a download
            download(
                version.source_name,
                partial,
                max_bytes=settings.UPLOAD_MAX_BYTES,
                timeout=settings.URL_IMPORT_TIMEOUT,
                progress=on_bytes,
            )
            partial.rename(source)
            Version.objects.filter(pk=version.pk).update(source_size=source.stat().st_size)
            keep_source(source, version.source_path)
        offset = 0.3 if version.source_kind == "url" else 0.0
        share = 0.8 if version.recipe_steps else 1.0  # the recipe's stage takes the rest of the bar

        def on_stage(fraction: float, stage: str, message: str) -> None:
            progress(offset + (1 - offset) * share * fraction, stage, message)

        limits = IngestLimits(max_bytes=settings.UPLOAD_MAX_BYTES, memory_limit=settings.INGEST_MEMORY_LIMIT)
        result = ingest_file(
            version.source_path,
            version.inferred_path,
            limits=limits,
            progress=on_stage,
            work_dir=version.upload_dir,
        ).to_dict()
        if version.recipe_steps:
            progress(offset + (1 - offset) * share, "Applying the recipe", f"{len(version.recipe_steps)} steps")
            built = build_version_file(
                inferred_path=version.inferred_path,
                destination=version.path,
                columns=result["columns"],
                steps=version.recipe_steps,
                source=version.source_path,
                work_dir=version.upload_dir,
                limits=limits,
            )
            version.inferred_columns = result["columns"]
            result.update(columns=built.columns, row_count=built.row_count, profile=built.profile)
    except RETRYABLE_ERRORS as error:
        if last_attempt:
            version_fail(version=version, error=readable_error(error))
        raise
    except JobError as error:
        version_fail(version=version, error=str(error))
        raise
    except Exception as error:
        version_fail(version=version, error=readable_error(error))
        raise
    version_publish(version=version, result=result)
    shutil.rmtree(version.upload_dir, ignore_errors=True)
    return version_summary(version)


def keep_source(source: Path, kept: Path) -> None:
    """Move the uploaded or downloaded file to where the version keeps it."""
    kept.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(source, kept)


def versions_fail_orphaned() -> int:
    """Versions still queued or processing whose ingest job has failed (its worker died): mark them
    failed with the job's error, so pages stop showing them as in progress."""
    orphaned = Version.objects.filter(
        status__in=[VersionStatus.QUEUED, VersionStatus.PROCESSING], job__status="failed"
    ).select_related("job")
    count = 0
    for version in orphaned:
        version_fail(version=version, error=version.job.error)
        count += 1
    return count


def version_fail(*, version: Version, error: str) -> None:
    Version.objects.filter(pk=version.pk).update(status=VersionStatus.FAILED, error=error)
    version.status, version.error = VersionStatus.FAILED, error
    shutil.rmtree(version.upload_dir, ignore_errors=True)
    for leftover in (version.source_path, version.inferred_path):  # a failed version has no file to keep
        if leftover != version.path:
            leftover.unlink(missing_ok=True)
    dataset = version.dataset
    audit_record(
        action="version.failed",
        workspace=dataset.workspace,
        target=dataset,
        details={"version": version.number, "error": error[:300]},
    )
    live_events.version_failed(version)
    version_announce(version, "version.failed")


def version_announce(version: Version, event: str) -> None:
    """Tell the integrations (webhooks, refresh schedules) once the outcome is committed; by task name,
    so datasets imports nothing of theirs."""
    transaction.on_commit(
        lambda: current_app.tasks["integrations.version_event"].delay(version_id=version.pk, event=event)
    )


@transaction.atomic
def version_publish(*, version: Version, result: dict) -> None:
    """Mark the version ready and make it current, unless a newer version is current already."""
    dataset = Dataset.objects.select_for_update().get(pk=version.dataset_id)
    columns = result["columns"]
    version.status = VersionStatus.READY
    version.format = result.get("format") or ""
    version.encoding = result.get("encoding") or ""
    version.delimiter = result.get("delimiter") or ""
    version.row_count = result["row_count"]
    version.columns = columns
    version.column_count = len(columns)
    version.column_names = " ".join(
        {c["name"] for c in columns} | {c.get("original_name") or c["name"] for c in columns}
    )
    version.profile = result.get("profile", {})
    version.checksum = file_checksum(version.path)
    version.error = ""
    version.ready_at = timezone.now()
    version.save()
    current = dataset.current_version
    if current is None or current.number < version.number:
        dataset.current_version = version
        dataset.save(update_fields=["current_version", "updated_at"])
        if dataset.derived_inputs.exists():  # derived datasets (apps/sql) read this one: rebuild them
            rebuild = current_app.signature(REBUILD_DERIVED_TASK, kwargs={"dataset_id": str(dataset.pk)})
            transaction.on_commit(rebuild.apply_async)
    audit_record(
        action="version.ready",
        workspace=dataset.workspace,
        target=dataset,
        details={"version": version.number, "rows": version.row_count},
    )
    live_events.version_ready(version)
    version_announce(version, "version.ready")


def file_checksum(path: Path) -> str:
    """SHA-256 of a version's file, recorded once so `manage.py verify_data` can find silent damage."""
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def version_summary(version: Version) -> dict:
    return {
        "dataset": str(version.dataset_id),
        "version": version.number,
        "rows": version.row_count,
        "columns": version.column_count,
        "format": version.format,
    }
