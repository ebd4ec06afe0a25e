"""The one exception the ingest raises for bad input, and the wording helpers its messages share."""

from dataplane.errors import JobError


class IngestError(JobError):
    """The input was refused. `str()` is a sentence for the person who sent the file: where, and what was expected."""


def human_size(size: float) -> str:
    """2 * 1024**3 -> "2.0 GB" (binary multiples, so the 2 GB default limit reads as 2.0 GB)."""
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} bytes" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def human_count(count: int) -> str:
    """2345 -> "2,345"."""
    return f"{count:,}"


NOT_A_TABLE = "This does not look like a table: it is neither CSV/TSV, Excel (.xlsx), JSON, JSON Lines nor Parquet."
