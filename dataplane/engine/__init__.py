"""The query engine: the one place that turns a request into SQL, over a version's Parquet file in DuckDB.

Django-free, so views and Celery tasks call it alike. Every query reads one immutable Parquet file through a
sandboxed DuckDB (`connection.py`); identifiers are quoted, values bound, names checked against the schema.

- `rows_query` (rows.py): a page of rows, with filters, sort, columns, search, cursor and total.
- `export_stream` (export.py): every matching row as streamed CSV, JSON, NDJSON or Parquet.
- `aggregate_query`, `normalize_aggregate` (aggregate.py): group-by queries and their cache-key form.
- `QueryError`, `QueryTimeout` (errors.py): what bad input raises; the API answers them with a 400.
"""

from .aggregate import aggregate_query, normalize_aggregate
from .connection import sandboxed_connection
from .errors import QueryError, QueryTimeout
from .export import CSV_FORMULAS, export_stream, neutralised
from .rows import rows_query
from .sql import quote_identifier

__all__ = [
    "CSV_FORMULAS",
    "QueryError",
    "QueryTimeout",
    "aggregate_query",
    "export_stream",
    "neutralised",
    "normalize_aggregate",
    "quote_identifier",
    "rows_query",
    "sandboxed_connection",
]
