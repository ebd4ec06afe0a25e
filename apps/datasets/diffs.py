"""Diffs between two versions of a dataset, as the API and the compare page ask for them.

A version never changes, so the diff of (a, b, key) never does either: answers are cached in Redis, shared by
every web process. Small versions are compared in the request; versions with more than DIFF_INLINE_ROWS rows
between them are compared by a job, whose answer lands in the same cache entry (and a refusal, such as a key
that is not unique, too), so asking again on the same URL finds it.
"""

import hashlib
import json
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

from apps.datasets.models import Dataset, Version
from apps.datasets.selectors import ready_version_of
from apps.jobs.models import Job, JobStatus
from apps.jobs.services import job_create
from dataplane.engine import QueryError
from dataplane.engine.diff import DiffSide, key_pairs, version_diff
from dataplane.engine.schema import Schema

DIFF_CACHE_SECONDS = 30 * 24 * 3600
DIFF_TASK = "datasets.diff_versions"


@dataclass(frozen=True)
class DiffAnswer:
    """Either the diff, or the job computing it."""

    diff: dict | None = None
    job: Job | None = None


def parse_key(raw: str | list[str] | None) -> list[str]:
    """`key=c1,c2`, a JSON list (for names holding commas), or repeated values; empty means whole rows."""
    if raw is None:
        return []
    if isinstance(raw, list):
        return [name for item in raw for name in parse_key(item)]
    raw = raw.strip()
    if raw.startswith("["):
        try:
            names = json.loads(raw)
        except json.JSONDecodeError:
            raise QueryError("invalid_key", "key: not a JSON list of column names.", {"parameter": "key"}) from None
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise QueryError("invalid_key", "key: not a JSON list of column names.", {"parameter": "key"})
        return names
    return [name.strip() for name in raw.split(",") if name.strip()]


def cache_key(version_a: Version, version_b: Version, key: list[str]) -> str:
    digest = hashlib.sha256(json.dumps(key).encode()).hexdigest()[:32]
    return f"diff:{version_a.dataset_id}:{version_a.number}:{version_b.number}:{digest}"


def side(version: Version) -> DiffSide:
    return DiffSide(
        path=version.path, columns=version.columns, profile=version.profile or {}, row_count=version.row_count
    )


def versions_diff(*, dataset: Dataset, a: int, b: int, key: list[str], created_by=None) -> DiffAnswer:
    """The diff from version a to b of a dataset the caller may read, or the job that computes it.

    Raises Http404 for a version that does not exist or is not ready, QueryError for a bad key.
    """
    version_a, version_b = ready_version_of(dataset, a), ready_version_of(dataset, b)
    key_pairs(Schema(version_a.columns), Schema(version_b.columns), key)  # refuse unknown columns at once
    entry = cache_key(version_a, version_b, key)
    cached = cache.get(entry)
    if cached is not None:
        return DiffAnswer(diff=raise_refusal(cached))
    if (version_a.row_count or 0) + (version_b.row_count or 0) <= settings.DIFF_INLINE_ROWS:
        return DiffAnswer(diff=raise_refusal(compute(version_a, version_b, key)))
    job_id = cache.get(f"{entry}:job")
    job = Job.objects.filter(pk=job_id).first() if job_id else None
    if job is None or job.status == JobStatus.FAILED:
        job = diff_job_start(dataset=dataset, a=a, b=b, key=key, created_by=created_by)
        cache.set(f"{entry}:job", str(job.pk), DIFF_CACHE_SECONDS)
    return DiffAnswer(job=job)


def diff_job_start(*, dataset: Dataset, a: int, b: int, key: list[str], created_by) -> Job:
    return job_create(
        kind="diff",
        task_name=DIFF_TASK,
        created_by=created_by,
        workspace=dataset.workspace,
        task_kwargs={"dataset_id": str(dataset.pk), "a": a, "b": b, "key": key},
    )


def compute(version_a: Version, version_b: Version, key: list[str]) -> dict:
    """Compute and cache the diff, or the refusal (`{"refused": {code, message, details}}`)."""
    spill = Path(settings.DATA_DIR) / "tmp" / f"diff-{uuid.uuid4().hex[:12]}"
    spill.mkdir(parents=True, exist_ok=True)
    try:
        answer = version_diff(
            side(version_a), side(version_b), key, memory_limit=settings.INGEST_MEMORY_LIMIT, temp_directory=spill
        )
    except QueryError as error:
        answer = {"refused": {"code": error.code, "message": error.message, "details": error.details}}
    finally:
        shutil.rmtree(spill, ignore_errors=True)
    cache.set(cache_key(version_a, version_b, key), answer, DIFF_CACHE_SECONDS)
    return answer


def raise_refusal(answer: dict) -> dict:
    if "refused" in answer:
        refused = answer["refused"]
        raise QueryError(refused["code"], refused["message"], refused["details"])
    return answer


def diff_run(*, dataset: Dataset, a: int, b: int, key: list[str]) -> dict:
    """The job's work: compute and cache the diff; the job's result is the row counts."""
    answer = raise_refusal(compute(ready_version_of(dataset, a), ready_version_of(dataset, b), key))
    return {"rows": answer["rows"]}
