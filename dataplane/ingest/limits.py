"""How much the ingest accepts; the Django side fills these from settings."""

import os
from dataclasses import dataclass, field

from .temporal import normalize_order


def _date_order_from_environment() -> str:
    return normalize_order(os.environ.get("DATE_ORDER"))


@dataclass(frozen=True)
class IngestLimits:
    max_bytes: int = 2 * 1024**3
    max_columns: int = 2000
    # An .xlsx is a zip: refuse one whose parts would expand beyond this, or expand suspiciously much.
    max_xlsx_uncompressed_bytes: int = 2 * 1024**3
    max_xlsx_compression_ratio: int = 100
    memory_limit: str = "1GB"
    threads: int | None = None
    # Day/month order for date columns whose every value reads both ways ("MDY" or "DMY"); the DATE_ORDER
    # setting, read from the same environment variable when the caller does not pass it.
    date_order: str = field(default_factory=_date_order_from_environment)
