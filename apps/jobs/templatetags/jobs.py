"""Template helpers for jobs: what a job is called on a page."""

from django import template

register = template.Library()

JOB_LABELS = {"ingest": "Ingest", "system_check": "System check"}


@register.filter
def job_label(kind: str) -> str:
    """ "ingest" -> "Ingest", "system_check" -> "System check"; an unknown kind reads the same way."""
    return JOB_LABELS.get(kind) or (kind or "job").replace("_", " ").capitalize()
