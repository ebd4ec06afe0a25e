"""The words of notifications: what happened, in the product's terms, and where to look."""

from apps.datasets.models import Version

KIND_LABELS = {"ingest": "Import", "system_check": "System check", "refresh": "Refresh", "sql": "Query"}


def version_words(version: Version) -> tuple[str, str]:
    """`“Sales” version 3` and the dataset page's address."""
    dataset = version.dataset
    return f"“{dataset.title}” version {version.number}", dataset.get_absolute_url()


def job_outcome(job) -> tuple[str, str, str]:
    """(kind, message, url) of the notification for the person who started `job`."""
    succeeded = job.status == "succeeded"
    kind = "job_succeeded" if succeeded else "job_failed"
    version = Version.objects.select_related("dataset__workspace").filter(job_id=job.pk).first()
    if version is not None:
        what, url = version_words(version)
        if succeeded:
            rows = f" ({version.row_count:,} rows)" if version.row_count is not None else ""
            return kind, f"{what} is ready{rows}.", url
        return kind, f"{what} failed: {job.error or 'no reason recorded'}", url
    label = KIND_LABELS.get(job.kind, job.kind.replace("_", " ").capitalize())
    if succeeded:
        return kind, f"{label} finished.", ""
    return kind, f"{label} failed: {job.error or 'no reason recorded'}", ""
