"""Reads the SQL pages and API share, scoped to the caller: saved queries, history, async results."""

from pathlib import Path

from django.db.models import QuerySet
from django.http import Http404

from apps.core import permissions
from apps.jobs.models import Job, JobStatus
from apps.sql.models import DerivedDataset, QueryRun, SavedQuery
from apps.sql.services import result_path

HISTORY_SHOWN = 50


def saved_queries(user, *, workspace: str = "") -> QuerySet[SavedQuery]:
    queries = SavedQuery.objects.restrict(user).select_related("workspace", "created_by")
    if workspace:
        queries = queries.filter(workspace__slug=workspace)
    return queries.prefetch_related("derived")


def saved_query_for(user, pk, action: str = permissions.VIEW) -> SavedQuery:
    return permissions.object_for(SavedQuery.objects.select_related("workspace", "created_by"), user, action, pk=pk)


def history_of(user, *, workspace: str = "") -> QuerySet[QueryRun]:
    """The person's own statements, newest first (never anyone else's)."""
    if not user.is_authenticated:
        return QueryRun.objects.none()
    runs = QueryRun.objects.filter(user=user).select_related("workspace")
    if workspace:
        runs = runs.filter(workspace__slug=workspace)
    return runs


def sql_result(user, job_id) -> tuple[Job, Path]:
    """An async statement's finished job and result file: only for the person who ran it, else Http404."""
    job = permissions.first_or_none(Job.objects.filter(kind="sql", created_by__isnull=False), {"pk": job_id})
    if job is None or not user.is_authenticated or job.created_by_id != user.pk:
        raise Http404("No such SQL result.")
    if job.status != JobStatus.SUCCEEDED:
        raise Http404(f"This statement is {job.status}; it has no rows to read yet.")
    path = result_path(job.pk)
    if not path.exists():
        raise Http404("This result has been removed: results are kept for a day. Run the statement again.")
    return job, path


def derivation_of(dataset) -> DerivedDataset | None:
    """How a derived dataset is made (its query, SQL, inputs), or None for an ordinary dataset."""
    return DerivedDataset.objects.select_related("query").filter(dataset=dataset).first()
