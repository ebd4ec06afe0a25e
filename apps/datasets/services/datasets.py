"""Writes for datasets: create, upload (a dataset with its first version), update, delete."""

import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from apps.accounts.models import User, Workspace
from apps.audit.services import audit_record
from apps.core import permissions
from apps.core.slugs import unique_slug
from apps.datasets.models import Dataset, Tag, Version, Visibility
from apps.datasets.recipe_inputs import recipe_inputs_dir
from apps.datasets.services.versions import version_create
from apps.jobs.models import Job

# Words used by workspace-level pages, so a dataset can never shadow them.
RESERVED_SLUGS = {"dashboards", "members", "new", "settings", "sql"}


def unique_dataset_slug(workspace: Workspace, title: str, exclude_pk=None) -> str:
    others = Dataset.objects.filter(workspace=workspace).exclude(pk=exclude_pk)
    return unique_slug(others, title, fallback="dataset", max_length=70, reserved=RESERVED_SLUGS)


def tags_from(names) -> list[Tag]:
    clean = sorted({slugify(name)[:40] for name in names if slugify(name)})
    return [Tag.objects.get_or_create(name=name)[0] for name in clean]


def title_from_source(name: str) -> str:
    """The title a dataset gets when none is given: the file name without its extension, `_` and `-`
    read as spaces ("sales_2024.csv" -> "sales 2024"); for a URL, its last path segment, else its host."""
    if "://" in name:
        parts = urlsplit(name)
        name = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1])
        if not name:
            return (parts.hostname or "")[:200] or "Untitled dataset"
    stem = name.rsplit("/", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem.lstrip(".") else stem
    return stem.replace("_", " ").replace("-", " ").strip()[:200] or "Untitled dataset"


def check_visibility(visibility: str) -> None:
    if visibility not in Visibility.values:
        raise ValidationError({"visibility": f"Unknown visibility “{visibility}”; use private or public."})


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
    check_visibility(visibility)
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
    audit_record(action="dataset.created", workspace=workspace, target=dataset, actor=created_by)
    return dataset


@transaction.atomic
def dataset_upload(
    *,
    workspace: Workspace,
    created_by: User | None,
    file=None,
    url: str | None = None,
    title: str | None = None,
    description: str = "",
    visibility: str = Visibility.PRIVATE,
    tags: list[str] | None = None,
) -> tuple[Dataset, Version, Job]:
    """A new dataset and its first version, from an uploaded file or a URL, in one transaction: the
    ingest job is sent once it commits, and a refusal at any step leaves no dataset behind.

    Without a title, the dataset is named after the file or the URL (`title_from_source`).
    Raises ValidationError for a missing or doubled source, an empty title or an unknown visibility.
    """
    if (file is None) == (not url):
        raise ValidationError("Send either a file or a URL.")
    dataset = dataset_create(
        workspace=workspace,
        title=(title or "").strip() or title_from_source(file.name if file is not None else url),
        description=description,
        visibility=visibility,
        tags=tags,
        created_by=created_by,
    )
    version, job = version_create(dataset=dataset, created_by=created_by, uploaded_file=file, url=url or "")
    return dataset, version, job


def private_inputs_let_out(*, dataset: Dataset, visibility: str, user) -> list[Dataset]:
    """The private datasets that making `dataset` public lets out (it is derived from them, `apps.sql`).

    A derived dataset is never more visible than its least visible input unless an editor of that input's
    workspace allows it: ValidationError (a 400) unless `user` may edit the workspace of every private input."""
    if visibility != Visibility.PUBLIC or dataset.visibility == Visibility.PUBLIC:
        return []
    private = list(
        Dataset.objects.filter(derived_inputs__dataset=dataset)
        .exclude(visibility=Visibility.PUBLIC)
        .select_related("workspace")
    )
    refused = [d for d in private if user is None or not permissions.can(user, permissions.CHANGE, d.workspace)]
    if refused:
        names = ", ".join(f"“{d.title}” of “{d.workspace.name}”" for d in refused)
        raise ValidationError(
            {
                "visibility": f"“{dataset.title}” is computed from private data ({names}); only an editor of "
                "that workspace may make it public, so it stays private."
            }
        )
    return private


@transaction.atomic
def dataset_update(*, dataset: Dataset, changed_by=None, **fields) -> Dataset:
    """Change title, description, visibility or tags. The address (slug) follows the title.

    Making a derived dataset public needs `changed_by` to edit the workspace of each private input
    (`private_inputs_let_out`); each such workspace records it in its audit log."""
    let_out = private_inputs_let_out(dataset=dataset, visibility=fields.get("visibility"), user=changed_by)
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
    audit_record(
        action="dataset.updated", workspace=dataset.workspace, target=dataset, details={"fields": sorted(fields)}
    )
    for source in let_out:
        details = {"into": str(dataset.pk), "into_title": dataset.title, "made_public": True}
        audit_record(action="dataset.copied_out", workspace=source.workspace, target=source, details=details)
    return dataset


def dataset_delete(*, dataset: Dataset) -> None:
    """Delete the dataset, its versions and, once the transaction commits, their files."""
    folders = [Path(settings.DATA_DIR) / "datasets" / str(dataset.pk), recipe_inputs_dir(settings.DATA_DIR, dataset.pk)]
    with transaction.atomic():
        audit_record(action="dataset.deleted", workspace=dataset.workspace, target=dataset)
        dataset.delete()
        transaction.on_commit(lambda: [shutil.rmtree(folder, ignore_errors=True) for folder in folders])
