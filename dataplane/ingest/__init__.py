"""Ingest: one uploaded file in, one typed, profiled Parquet file out. Django-free, so a Celery task can call it."""

from .errors import IngestError
from .limits import IngestLimits
from .pipeline import ingest_file
from .result import ColumnInfo, IngestResult

__all__ = ["ColumnInfo", "IngestError", "IngestLimits", "IngestResult", "ingest_file"]
