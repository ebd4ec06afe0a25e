"""Writes for datasets and versions, one function per use case, each owning its transaction.

- `datasets.py`: `dataset_create`, `dataset_upload` (a dataset with its first version), `dataset_update`,
  `dataset_delete`, and the default title of an upload (`title_from_source`).
- `versions.py`: `version_create` (the one way to add a version; its ingest job is sent by task name on
  commit), `ingest_version` (run by the ingest task), `version_publish`, `version_fail`,
  `versions_fail_orphaned`.
"""

from .datasets import dataset_create, dataset_delete, dataset_update, dataset_upload, title_from_source
from .versions import (
    RETRYABLE_ERRORS,
    file_checksum,
    ingest_version,
    next_version_number,
    version_create,
    version_fail,
    version_publish,
    versions_fail_orphaned,
)

__all__ = [
    "RETRYABLE_ERRORS",
    "dataset_create",
    "dataset_delete",
    "dataset_update",
    "dataset_upload",
    "file_checksum",
    "ingest_version",
    "next_version_number",
    "title_from_source",
    "version_create",
    "version_fail",
    "version_publish",
    "versions_fail_orphaned",
]
