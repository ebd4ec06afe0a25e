"""Running SQL over datasets (now or as a job), saved queries, and derived datasets that stay fresh.

Every run goes the same way: the guard checks the text (`dataplane/sql/guard/`), the names resolve to versions
the caller may read at that moment (`tables.py`), and the runner executes the SQL generated from the checked tree
in the sandboxed DuckDB (`dataplane/sql/runner.py`). Synchronous answers are cached per (generated SQL, limit):
the SQL holds each input's version file, and versions never change, so a cached answer never goes stale.
"""

import hashlib
import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User, Workspace
from apps.core import permissions
from apps.datasets import services as dataset_services
from apps.datasets.models import Dataset, Version, VersionStatus
from apps.jobs.errors import JobError
from apps.jobs.models import Job, JobStatus
from apps.jobs.services import job_create
from dataplane.sql import runner
from dataplane.sql.guard import SQL_NOT_ALLOWED, SqlRefused, check_statement

from . import isolated, tables
from .caps import counts_until_finished, counts_while_running
from .consent import copy_lapsed, record_copy, require_copy_consent
from .models import DerivedDataset, DerivedVersion, QueryRun, SavedQuery

logger = logging.getLogger(__name__)

RUN_TASK = "sql.run"
BUILD_DERIVED_TASK = "sql.build_derived_version"
DEFAULT_LIMIT = 1000
MAX_LIMIT = 10_000
ASYNC_MAX_ROWS = 20_000_000
RESULTS_KEPT = timedelta(days=1)
ANSWER_CACHE_SECONDS = 30 * 24 * 3600
# Functions whose answer changes from one run to the next: such statements are never cached.
VOLATILE = frozenset(
    {"random", "uuid", "gen_random_uuid", "now", "current_date", "current_time", "current_timestamp", "today"}
)


@dataclass(frozen=True)
class Prepared:
    """A checked statement with its tables resolved: what the runner executes, and what it read."""

    sql: str
    inputs: list[tables.Input]
    volatile: bool = False

    @property
    def files(self) -> list[Path]:
        return tables.files_of(self.inputs)

    @property
    def scrub(self) -> dict[str, str]:
        return {input_.path: input_.reference.text for input_ in self.inputs}

    def describe_inputs(self) -> list[dict]:
        return [input_.describe() for input_ in self.inputs]


def sql_prepare(*, sql: str, user, workspace_slug: str | None = None) -> Prepared:
    """Check `sql` and resolve its tables for `user`; SqlRefused says what was refused and where."""
    checked = check_statement(sql)
    inputs = tables.resolve(checked, user=user, workspace_slug=workspace_slug)
    sql_text = checked.to_sql({i.reference.key: i.source for i in inputs})
    return Prepared(sql=sql_text, inputs=inputs, volatile=bool(checked.functions & VOLATILE))


def sync_budget() -> runner.Budget:
    return runner.Budget(
        timeout_s=settings.SQL_TIME_LIMIT, memory_limit=settings.SQL_MEMORY_LIMIT, spill_parent=spill_dir()
    )


def async_budget() -> runner.Budget:
    return runner.Budget(
        timeout_s=settings.SQL_ASYNC_TIME_LIMIT, memory_limit=settings.SQL_MEMORY_LIMIT, spill_parent=spill_dir()
    )


def spill_dir() -> Path:
    folder = Path(settings.DATA_DIR) / "sql" / "spill"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _history(*, user, workspace: Workspace | None, sql: str, **fields) -> None:
    if user is not None and user.is_authenticated:
        QueryRun.objects.create(user=user, workspace=workspace, sql=sql[:100_000], **fields)


@counts_while_running
def sql_run(*, sql: str, user, workspace: Workspace | None = None, limit: int = DEFAULT_LIMIT) -> tuple[dict, bool]:
    """Run `sql` now, within SQL_TIME_LIMIT: `{columns, rows, truncated, elapsed_ms, inputs}` and whether the
    answer came from the cache. Raises SqlRefused or runner.RunError (each recorded in the history)."""
    started = time.perf_counter()
    limit = max(1, min(int(limit), MAX_LIMIT))
    try:
        prepared = sql_prepare(sql=sql, user=user, workspace_slug=workspace.slug if workspace else None)
        key = "sql:" + hashlib.sha256(f"{limit}:{prepared.sql}".encode()).hexdigest()
        volatile = prepared.volatile
        answer = None if volatile else cache.get(key)
        cached = answer is not None
        if answer is None:
            answer = isolated.run_rows(
                prepared.sql,
                files=prepared.files,
                limit=limit,
                budget=sync_budget(),
                scrub=prepared.scrub,
                spent_s=time.perf_counter() - started,
            )
            if not volatile:
                cache.set(key, answer, ANSWER_CACHE_SECONDS)
    except (SqlRefused, runner.RunError) as error:
        elapsed = (time.perf_counter() - started) * 1000
        _history(user=user, workspace=workspace, sql=sql, status="error", error_code=error.code, elapsed_ms=elapsed)
        raise
    elapsed = (time.perf_counter() - started) * 1000
    inputs = [{"dataset": i.dataset.pk, "version": i.version.number} for i in prepared.inputs]
    _history(user=user, workspace=workspace, sql=sql, status="ok", row_count=len(answer["rows"]), elapsed_ms=elapsed)
    return {**answer, "elapsed_ms": round(elapsed, 1), "inputs": inputs}, cached


def result_path(job_id) -> Path:
    return Path(settings.DATA_DIR) / "sql" / "results" / f"{job_id}.parquet"


@counts_until_finished
def sql_start(*, sql: str, user, workspace: Workspace | None = None) -> Job:
    """Check `sql` now (a refusal is immediate) and queue it as a job that writes every row to Parquet.

    The job belongs to its starter alone (no workspace): its result may hold rows only they may read."""
    workspace_slug = workspace.slug if workspace else None
    try:
        sql_prepare(sql=sql, user=user, workspace_slug=workspace_slug)
    except SqlRefused as error:
        _history(user=user, workspace=workspace, sql=sql, status="error", error_code=error.code)
        raise
    with transaction.atomic():
        job = job_create(
            kind="sql",
            task_name=RUN_TASK,
            created_by=user,
            task_kwargs={"sql": sql, "user_id": user.pk, "workspace_slug": workspace_slug},
        )
        _history(user=user, workspace=workspace, sql=sql, status="queued", job=job)
    return job


def cancel_requested(job_id) -> callable:
    """A check the runner polls: has the job been cancelled (DELETE /api/v1/jobs/{id}/)?"""
    return lambda: Job.objects.filter(pk=job_id, status=JobStatus.FAILED).exists()


def sql_job_run(*, job: Job, sql: str, user, workspace_slug: str | None) -> dict:
    """The job's work: run `sql` again as `user` (access is checked at run time too) into the result file."""
    try:
        prepared = sql_prepare(sql=sql, user=user, workspace_slug=workspace_slug)
        job.report(0.0, "Running", "Reading " + (", ".join(i.reference.text for i in prepared.inputs) or "values"))
        answer = isolated.run_to_parquet(
            prepared.sql,
            files=prepared.files,
            destination=result_path(job.pk),
            budget=async_budget(),
            max_rows=ASYNC_MAX_ROWS,
            scrub=prepared.scrub,
            on_progress=lambda fraction: job.report(0.99 * fraction, "Running", f"{fraction:.0%} of the input read"),
            should_stop=cancel_requested(job.pk),
        )
    except (runner.RunError, SqlRefused) as error:
        QueryRun.objects.filter(job=job).update(status="error", error_code=error.code)
        if error.code == runner.QUERY_CANCELLED:
            raise JobError(Job.objects.get(pk=job.pk).error or error.message) from None
        raise JobError(error.message) from None
    QueryRun.objects.filter(job=job).update(status="ok", row_count=answer["row_count"])
    return {
        "columns": answer["columns"],
        "row_count": answer["row_count"],
        "rows_url": reverse("api:sql-result-rows", args=[job.pk]),
        "inputs": [{"dataset": str(i.dataset.pk), "version": i.version.number} for i in prepared.inputs],
    }


def results_remove_old(*, now=None) -> int:
    """Delete async results older than a day (run by Celery beat); their rows then answer 404."""
    cutoff = (now or timezone.now()) - RESULTS_KEPT
    folder = Path(settings.DATA_DIR) / "sql" / "results"
    removed = 0
    for path in folder.glob("*.parquet") if folder.exists() else ():
        if path.stat().st_mtime < cutoff.timestamp():
            path.unlink(missing_ok=True)
            removed += 1
    return removed


# Saved queries


def _clean_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "A saved query needs a title."})
    return title[:200]


def query_create(*, workspace: Workspace, title: str, sql: str, created_by: User) -> SavedQuery:
    """Save a statement in a workspace. It is checked first: a statement the guard refuses is not saved."""
    check_statement(sql)
    return SavedQuery.objects.create(workspace=workspace, title=_clean_title(title), sql=sql, created_by=created_by)


def query_update(*, query: SavedQuery, title: str | None = None, sql: str | None = None) -> SavedQuery:
    if sql is not None:
        check_statement(sql)
        query.sql = sql
    if title is not None:
        query.title = _clean_title(title)
    query.save()
    return query


def query_delete(*, query: SavedQuery) -> None:
    """Delete the saved query; a derived dataset made from it stays, and keeps rebuilding from its SQL."""
    query.delete()


# Derived datasets


def _reads_itself(derived: DerivedDataset, inputs: list[Dataset]) -> bool:
    """Whether the inputs are, or are derived (at any depth) from, the derived dataset itself."""
    seen, frontier = set(), [d.pk for d in inputs]
    while frontier:
        pk = frontier.pop()
        if pk == derived.dataset_id:
            return True
        if pk in seen:
            continue
        seen.add(pk)
        frontier.extend(
            DerivedDataset.inputs.through.objects.filter(deriveddataset__dataset_id=pk).values_list(
                "dataset_id", flat=True
            )
        )
    return False


@transaction.atomic
def query_materialize(*, query: SavedQuery, user: User) -> tuple[Dataset, Version, Job]:
    """Make (first time) or refresh the query's derived dataset: a new version computed by a job.

    It needs the editor role in the query's workspace (where the dataset lives) and in the workspace of every
    private input (`require_copy_consent`, else NotAllowed); each input's workspace records the copy in its
    audit log. The statement is checked and its tables resolved now, so a refusal is immediate; later rebuilds
    run with the access of whoever materialized it last, and stop when that person may no longer edit a private
    input's workspace."""
    permissions.require(user, permissions.CHANGE, query.workspace)
    prepared = sql_prepare(sql=query.sql, user=user, workspace_slug=query.workspace.slug)
    require_copy_consent(user=user, inputs=[i.dataset for i in prepared.inputs])
    derived = query.derived.select_related("dataset").first()
    if derived is None:
        dataset = dataset_services.dataset_create(
            workspace=query.workspace,
            title=query.title,
            description=f"Derived from the saved query “{query.title}”.",
            created_by=user,
        )
        derived = DerivedDataset.objects.create(dataset=dataset, query=query, sql=query.sql, run_as=user)
    else:
        derived.sql, derived.run_as = query.sql, user
        derived.save(update_fields=["sql", "run_as"])
    inputs = [i.dataset for i in prepared.inputs]
    if _reads_itself(derived, inputs):
        raise SqlRefused(SQL_NOT_ALLOWED, f"The query reads “{derived.dataset.title}”, the dataset it would make.")
    derived.inputs.set(inputs)
    record_copy(derived=derived, inputs=inputs, actor=user)
    version, job = derived_version_create(derived=derived, created_by=user)
    return derived.dataset, version, job


def derived_version_create(*, derived: DerivedDataset, created_by) -> tuple[Version, Job]:
    """A queued version of the derived dataset, whose job runs its SQL and then the normal ingest."""
    return dataset_services.version_create(
        dataset=derived.dataset,
        created_by=created_by,
        source_kind="query",
        source_name=f"SQL: {derived.query.title}" if derived.query else "SQL",
        task_name=BUILD_DERIVED_TASK,
    )


def derived_rebuild_for(*, dataset_id) -> int:
    """Queue a new version of every derived dataset that reads `dataset_id` (which just got a new current
    version). One already waiting for a worker is enough: it reads the inputs' versions when it runs."""
    queued = 0
    for derived in DerivedDataset.objects.filter(inputs__pk=dataset_id).select_related("dataset", "query", "run_as"):
        if derived.dataset.versions.filter(status=VersionStatus.QUEUED).exists() or copy_lapsed(derived):
            continue
        with transaction.atomic():
            derived_version_create(derived=derived, created_by=derived.run_as)
        queued += 1
    return queued


def derived_version_build(*, version: Version, progress) -> dict:
    """The rebuild job's work: run the derived dataset's SQL into the version's source as Parquet, record the
    inputs used, then the normal ingest (which reads Parquet). A failure leaves the previous version current."""
    if version.status == VersionStatus.READY:
        return dataset_services.ingest_version(version=version, progress=progress)  # changes nothing
    derived = DerivedDataset.objects.select_related("dataset__workspace", "run_as").get(dataset_id=version.dataset_id)
    if copy_lapsed(derived):
        message = "Not rebuilt: whoever materialized it may no longer edit the workspace of a private input."
        dataset_services.version_fail(version=version, error=message)
        raise JobError(message)
    source = version.upload_dir / "source"
    progress(0.0, "Running the query", derived.sql[:200])
    try:
        prepared = sql_prepare(
            sql=derived.sql, user=derived.run_as or AnonymousUser(), workspace_slug=derived.dataset.workspace.slug
        )
        isolated.run_to_parquet(
            prepared.sql,
            files=prepared.files,
            destination=source,
            budget=async_budget(),
            max_rows=ASYNC_MAX_ROWS,
            scrub=prepared.scrub,
            on_progress=lambda fraction: progress(0.5 * fraction, "Running the query", f"{fraction:.0%}"),
        )
    except (SqlRefused, runner.RunError) as error:
        dataset_services.version_fail(version=version, error=error.message)
        raise JobError(error.message) from None
    DerivedVersion.objects.update_or_create(
        version=version, defaults={"derived": derived, "sql": derived.sql, "inputs": prepared.describe_inputs()}
    )
    derived.inputs.set([i.dataset for i in prepared.inputs])
    return dataset_services.ingest_version(
        version=version, progress=lambda fraction, stage, message: progress(0.5 + 0.5 * fraction, stage, message)
    )


def readable_tables(user, workspace: Workspace) -> list[dict]:
    """The side panel: datasets the user may read as SQL tables (this workspace's first), with columns."""
    datasets = (
        Dataset.objects.restrict(user, permissions.VIEW)
        .filter(current_version__status=VersionStatus.READY)
        .select_related("workspace", "current_version")
        .order_by("title")
    )
    items = []
    for dataset in datasets:
        local = dataset.workspace_id == workspace.pk
        items.append(
            {
                "name": dataset.slug if local else f'"{dataset.workspace.slug}"."{dataset.slug}"',
                "id": str(dataset.pk),
                "qualified": f'"{dataset.workspace.slug}"."{dataset.slug}"',
                "title": dataset.title,
                "workspace": dataset.workspace.slug,
                "version": dataset.current_version.number,
                "url": dataset.get_absolute_url(),
                "columns": [{"name": c["name"], "type": c["type"]} for c in dataset.current_version.columns],
            }
        )
    items.sort(key=lambda item: (item["workspace"] != workspace.slug, item["title"].lower()))
    return items
