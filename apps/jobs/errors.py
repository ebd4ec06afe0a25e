"""The one user-facing failure of background work, and how any exception reads to a person.

Lower layers raise `JobError` (or a subclass: the ingest's `IngestError`, the URL import's
`UrlImportError`) with a sentence for the person who sent the work; `JobTask` records it as it is.
"""

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings


class JobError(Exception):
    """A failure to show the person as it is: its text is the job's error."""


def readable_error(exc: BaseException) -> str:
    """The job's error text: a JobError's own words, else what happened in one sentence."""
    if isinstance(exc, JobError):
        return str(exc)
    if isinstance(exc, SoftTimeLimitExceeded):
        return f"The job ran past its time limit of {settings.CELERY_TASK_SOFT_TIME_LIMIT} seconds and was stopped."
    text = str(exc).strip() or "no details"
    return f"The job stopped on an unexpected error ({type(exc).__name__}: {text[:400]})."
