"""Writes for datasets and versions, and the ingest that turns a file into a version."""

import logging
import shutil
from pathlib import Path

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from apps.accounts.models import User, Workspace
from apps.core.slugs import unique_slug
from apps.datasets.ingest import IngestError, IngestLimits, ingest_file
from apps.datasets.models import Dataset, Tag, Version, VersionStatus, Visibility
from apps.datasets.url_import import UrlImportError, download
from apps.jobs.models import Job
from apps.jobs.services import job_create
from apps.jobs.tasks import readable_error

logger = logging.getLogger(__name__)


def unique_dataset_slug(workspace: Workspace, title: str, exclude_pk=None) -> str:
    others = Dataset.objects.filter(workspace=workspace).exclude(pk=exclude_pk)
    return unique_slug(others, title, fallback="dataset", max_length=70, reserved=RESERVED_SLUGS)


# Words used by workspace-level pages, so a dataset can never shadow them.
RESERVED_SLUGS = {"dashboards", "members", "new", "settings", "sql"}


def tags_from(names) -> list[Tag]:
    clean = sorted({slugify(name)[:40] for name in names if slugify(name)})
    return [Tag.objects.get_or_create(name=name)[0] for name in clean]


@transaction.atomic
def dataset_create(
    *,
    workspace: Workspace,
    title: str,
    created_by: User | None,
    description: str = "",
    visibility: str = Visibility.PRIVATE,
    tags: list[str] | None = None,
) -> Dataset:
    """An empty dataset; its data arrives with its first version."""
    title = title.strip()
    if not title:
        raise ValidationError({"title": "A dataset needs a title."})
    if visibility not in Visibility.values:
        raise ValidationError({"visibility": f"Unknown visibility “{visibility}”; use private or public."})
    dataset = Dataset.objects.create(
        workspace=workspace,
        title=title,
        slug=unique_dataset_slug(workspace, title),
        description=description,
        visibility=visibility,
        created_by=created_by,
    )
    if tags:
        dataset.tags.set(tags_from(tags))
    return dataset


@transaction.atomic
def dataset_update(*, dataset: Dataset, **fields) -> Dataset:
    """Change title, description, visibility or tags. The address (slug) follows the title."""
    if "title" in fields:
        title = (fields["title"] or "").strip()
        if not title:
            raise ValidationError({"title": "A dataset needs a title."})
        if title != dataset.title:
            dataset.title = title
            dataset.slug = unique_dataset_slug(dataset.workspace, title, exclude_pk=dataset.pk)
    if "description" in fields:
        dataset.description = fields["description"] or ""
    if "visibility" in fields:
        if fields["visibility"] not in Visibility.values:
            raise ValidationError({"visibility": "Use private or public."})
        dataset.visibility = fields["visibility"]
    dataset.save()
    if "tags" in fields and fields["tags"] is not None:
        dataset.tags.set(tags_from(fields["tags"]))
    return dataset


def dataset_delete(*, dataset: Dataset) -> None:
    """Delete the dataset, its versions and, once the transaction commits, their files."""
    folder = Path(settings.DATA_DIR) / "datasets" / str(dataset.pk)
    with transaction.atomic():
        dataset.delete()
        transaction.on_commit(lambda: shutil.rmtree(folder, ignore_errors=True))


def next_version_number(dataset: Dataset) -> int:
    return (Version.objects.filter(dataset=dataset).aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def version_create(
    *,
    dataset: Dataset,
    created_by: User | None,
    uploaded_file=None,
    url: str = "",
) -> tuple[Version, Job]:
    """A queued version from an uploaded file (moved, never copied into memory) or a URL, and the
    ingest job that will process it once this transaction commits."""
    if (uploaded_file is None) == (not url):
        raise ValidationError("Send either a file or a URL.")
    Dataset.objects.select_for_update().filter(pk=dataset.pk).first()  # serialises version numbers
    version = Version.objects.create(
        dataset=dataset,
        number=next_version_number(dataset),
        source_kind="upload" if uploaded_file is not None else "url",
        source_name=(uploaded_file.name if uploaded_file is not None else url)[:1000],
        source_size=uploaded_file.size if uploaded_file is not None else None,
        created_by=created_by,
    )
    if uploaded_file is not None:
        store_upload(uploaded_file, version.upload_dir / "source")
    from apps.datasets.tasks import ingest_version_task

    job = job_create(
        kind="ingest",
        task=ingest_version_task,
        created_by=created_by,
        workspace=dataset.workspace,
        task_kwargs={"version_id": version.pk},
    )
    version.job = job
    version.save(update_fields=["job"])
    return version, job


@transaction.atomic
def version_create_from_query(
    *, dataset: Dataset, created_by: User | None, source_name: str, task
) -> tuple[Version, Job]:
    """A queued version of a derived dataset (source_kind "query"): `task` (apps/sql) writes the query's result
    as Parquet into the version's source, then runs the normal ingest on it."""
    Dataset.objects.select_for_update().filter(pk=dataset.pk).first()  # serialises version numbers
    version = Version.objects.create(
        dataset=dataset,
        number=next_version_number(dataset),
        source_kind="query",
        source_name=source_name[:1000],
        created_by=created_by,
    )
    job = job_create(
        kind="materialize",
        task=task,
        created_by=created_by,
        workspace=dataset.workspace,
        task_kwargs={"version_id": version.pk},
    )
    version.job = job
    version.save(update_fields=["job"])
    return version, job


def store_upload(uploaded_file, destination: Path) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    if hasattr(uploaded_file, "temporary_file_path"):
        shutil.move(uploaded_file.temporary_file_path(), destination)
    else:
        with open(destination, "wb") as out:
            for chunk in uploaded_file.chunks():
                out.write(chunk)


def ingest_version(*, version: Version, progress) -> dict:
    """Turn the version's source into its Parquet file, schema and profile, then make it current.

    `progress(fraction, stage, message)` reports to the job. Running it again for a ready version
    changes nothing; a failure leaves the previous version current and raises IngestFailed.
    """
    if version.status == VersionStatus.READY:
        return version_summary(version)
    Version.objects.filter(pk=version.pk).update(status=VersionStatus.PROCESSING)
    source = version.upload_dir / "source"
    try:
        if version.source_kind == "url" and not source.exists():

            def on_bytes(done: int, total: int | None) -> None:
                fraction = 0.3 * done / total if total else 0.0
                progress(fraction, "Downloading", f"{done / 1e6:,.1f} MB received")

            progress(0.0, "Downloading", version.source_name)
            download(
                version.source_name,
                source,
                max_bytes=settings.UPLOAD_MAX_BYTES,
                timeout=settings.URL_IMPORT_TIMEOUT,
                progress=on_bytes,
            )
            Version.objects.filter(pk=version.pk).update(source_size=source.stat().st_size)
        offset = 0.3 if version.source_kind == "url" else 0.0

        def on_stage(fraction: float, stage: str, message: str) -> None:
            progress(offset + (1 - offset) * fraction, stage, message)

        result = ingest_file(
            source,
            version.path,
            limits=IngestLimits(max_bytes=settings.UPLOAD_MAX_BYTES, memory_limit=settings.INGEST_MEMORY_LIMIT),
            progress=on_stage,
            work_dir=version.upload_dir,
        )
    except (IngestError, UrlImportError) as error:
        version_fail(version=version, error=str(error))
        raise IngestFailed(str(error)) from None
    except Exception as error:
        version_fail(version=version, error=readable_error(error))
        raise
    version_publish(version=version, result=result.to_dict())
    shutil.rmtree(version.upload_dir, ignore_errors=True)
    return version_summary(version)


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


class IngestFailed(Exception):
    """The ingest refused the input; the text says why, for the person who sent it."""


def version_fail(*, version: Version, error: str) -> None:
    Version.objects.filter(pk=version.pk).update(status=VersionStatus.FAILED, error=error)
    version.status, version.error = VersionStatus.FAILED, error
    shutil.rmtree(version.upload_dir, ignore_errors=True)


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
    version.error = ""
    version.ready_at = timezone.now()
    version.save()
    current = dataset.current_version
    if current is None or current.number < version.number:
        dataset.current_version = version
        dataset.save(update_fields=["current_version", "updated_at"])
        if dataset.derived_inputs.exists():  # derived datasets (apps/sql) read this one: rebuild them
            rebuild = current_app.signature("sql.rebuild_derived", kwargs={"dataset_id": str(dataset.pk)})
            transaction.on_commit(rebuild.apply_async)


def version_summary(version: Version) -> dict:
    return {
        "dataset": str(version.dataset_id),
        "version": version.number,
        "rows": version.row_count,
        "columns": version.column_count,
        "format": version.format,
    }
