"""Reads of datasets and versions that pages and the API share, scoped to the caller."""

import hashlib
import json

from django.core.cache import cache
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.http import Http404

from apps.core import permissions
from apps.datasets.models import Dataset, Tag, Version, Visibility
from dataplane.engine import aggregate_query, normalize_aggregate


def dataset_for(user, action: str = permissions.VIEW, **lookup) -> Dataset:
    """The dataset matching `lookup` if the user may see it (else Http404), checked for `action`."""
    return permissions.object_for(Dataset.objects.select_related("current_version"), user, action, **lookup)


def catalog(user, *, q: str = "", workspace: str = "", tag: str = "", visibility: str = "") -> QuerySet[Dataset]:
    """Datasets the user may see, searched over titles, descriptions, column names and tags."""
    datasets = Dataset.objects.restrict(user).select_related("workspace", "current_version")
    if q:
        for word in q.split():
            datasets = datasets.filter(
                Q(title__icontains=word)
                | Q(description__icontains=word)
                | Q(current_version__column_names__icontains=word)
                | Q(tags__name__iexact=word)
            )
    if workspace:
        datasets = datasets.filter(workspace__slug=workspace)
    if tag:
        datasets = datasets.filter(tags__name=tag)
    if visibility in Visibility.values:
        datasets = datasets.filter(visibility=visibility)
    return datasets.prefetch_related("tags").distinct().order_by("-updated_at")


def catalog_listing(user, **filters) -> QuerySet[Dataset]:
    """The catalog as pages list it (catalog, home, workspace): each dataset also carries its latest
    version's `latest_status` and `latest_error`, `latest_url` (the URL that version was imported from,
    else ""), so a dataset whose first version failed shows why and can be imported again, and
    `caller_can_change` (whether the user may retry or delete it)."""
    latest = Version.objects.filter(dataset=OuterRef("pk")).order_by("-number")
    imported_from = Case(When(source_kind="url", then=F("source_name")), default=Value(""))
    editable = permissions.workspaces_for(user, permissions.CHANGE).filter(pk=OuterRef("workspace_id"))
    return catalog(user, **filters).annotate(
        latest_status=Subquery(latest.values("status")[:1]),
        latest_error=Subquery(latest.values("error")[:1]),
        latest_url=Subquery(latest.annotate(url=imported_from).values("url")[:1]),
        caller_can_change=Exists(editable),
    )


def catalog_tags(user) -> QuerySet[Tag]:
    """Tags of the datasets the user may see, for the catalog's filter."""
    return Tag.objects.filter(datasets__in=Dataset.objects.restrict(user)).distinct()


def public_datasets() -> QuerySet[Dataset]:
    return (
        Dataset.objects.filter(visibility=Visibility.PUBLIC, current_version__isnull=False)
        .select_related("workspace", "current_version")
        .order_by("-updated_at")
    )


def versions_of(dataset: Dataset) -> QuerySet[Version]:
    return dataset.versions.select_related("job", "created_by").order_by("-number")


def versions_by_job(user, job_ids) -> dict:
    """The versions that the given ingest jobs produce, by job id, among datasets the user may see."""
    visible = Dataset.objects.restrict(user)
    versions = Version.objects.filter(job_id__in=list(job_ids), dataset__in=visible).select_related(
        "dataset__workspace"
    )
    return {version.job_id: version for version in versions}


def version_of(dataset: Dataset, number: int | None) -> Version:
    """A version by number, or the current one; Http404 if there is no such (ready) version."""
    if number is None:
        if dataset.current_version is None:
            raise Http404("This dataset has no data yet: its first version is not ready.")
        return dataset.current_version
    version = dataset.versions.filter(number=number).first()
    if version is None:
        raise Http404(f"Version {number} does not exist.")
    return version


def ready_version_of(dataset: Dataset, number: int | None) -> Version:
    version = version_of(dataset, number)
    if not version.is_ready:
        raise Http404(f"Version {version.number} is {version.status}; it has no rows to read.")
    return version


AGGREGATE_CACHE_SECONDS = 30 * 24 * 3600


def aggregate(version: Version, body: dict) -> tuple[dict, bool]:
    """The answer of an aggregate query on a ready version, and whether it came from the cache.

    A version never changes, so (version, normalized query) always has the same answer: it is cached
    in Redis, shared by every web process and kept across restarts.
    """
    return cached_aggregate(
        cache_key=f"aggregate:{version.dataset_id}:{version.number}",
        path=version.path,
        columns=version.columns,
        body=body,
    )


def cached_aggregate(*, cache_key: str, path, columns: list[dict], body: dict) -> tuple[dict, bool]:
    normalized = normalize_aggregate(body)
    digest = hashlib.sha256(json.dumps(normalized, sort_keys=True, default=str).encode()).hexdigest()
    key = f"{cache_key}:{digest}"
    answer = cache.get(key)
    if answer is not None:
        return answer, True
    answer = aggregate_query(path, columns, normalized)
    cache.set(key, answer, AGGREGATE_CACHE_SECONDS)
    return answer, False
