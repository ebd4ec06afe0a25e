"""The one user-facing failure of background work, and how any exception reads to a person.

Lower layers raise `JobError` (defined in the data plane, `dataplane.errors`, so the Django-free ingest can
raise it; or a subclass: the ingest's `IngestError`, the URL import's `UrlImportError`) with a sentence for
the person who sent the work; `JobTask` records it as it is.
"""

import errno

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from dataplane.errors import JobError

# Storage failures, by errno and by the words DuckDB uses for them: the operator's problem, said plainly.
STORAGE_FAILURES = {
    errno.ENOSPC: ("No space left on device", "the data directory is full"),
    errno.EDQUOT: ("Disk quota exceeded", "the data directory's disk quota is used up"),
    errno.EROFS: ("Read-only file system", "the data directory is read-only"),
    errno.EACCES: ("Permission denied", "the worker may not write to the data directory"),
}


def readable_error(exc: BaseException) -> str:
    """The job's error text: a JobError's own words, else what happened in one sentence."""
    if isinstance(exc, JobError):
        return str(exc)
    if isinstance(exc, SoftTimeLimitExceeded):
        return f"The job ran past its time limit of {settings.CELERY_TASK_SOFT_TIME_LIMIT} seconds and was stopped."
    text = str(exc).strip() or "no details"
    for number, (words, meaning) in STORAGE_FAILURES.items():
        if getattr(exc, "errno", None) == number or words in text:
            return f"The job could not write its result: {meaning} ({words}). Try again once that is fixed."
    return f"The job stopped on an unexpected error ({type(exc).__name__}: {text[:400]})."
