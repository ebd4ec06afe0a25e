"""How much the ingest accepts; the Django side fills these from settings."""

from dataclasses import dataclass


@dataclass(frozen=True)
class IngestLimits:
    max_bytes: int = 2 * 1024**3
    max_columns: int = 2000
    # An .xlsx is a zip: refuse one whose parts would expand beyond this, or expand suspiciously much.
    max_xlsx_uncompressed_bytes: int = 2 * 1024**3
    max_xlsx_compression_ratio: int = 100
    memory_limit: str = "1GB"
    threads: int | None = None
