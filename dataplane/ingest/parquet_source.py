"""Parquet input: its columns are typed already, so they are mapped onto Datamill's types, not re-inferred.

Lossless where a Datamill type exists: any integer width to BIGINT (unsigned 64-bit and 128-bit to
DECIMAL(38,0)), DECIMAL(p,0) to an integer type, any timestamp unit to TIMESTAMP (microseconds; a time
zone-aware one as UTC). DECIMAL with a scale becomes DOUBLE. What has no Datamill type (lists, structs,
maps as JSON text; times, intervals, UUIDs, blobs as DuckDB prints them) becomes text.
"""

import re
from pathlib import Path

import pyarrow.parquet as pq

from .errors import IngestError
from .sql import literal


def parquet_shape(path: Path) -> tuple[list[str], int]:
    """The column names (from the file's own schema, duplicates and all) and the row count, from the footer."""
    try:
        metadata = pq.ParquetFile(path).metadata
        return metadata.schema.to_arrow_schema().names, metadata.num_rows
    except Exception as error:  # pyarrow raises several kinds for damaged files
        raise IngestError(f"The Parquet file could not be read: {error}") from None


def parquet_row_count(path: Path) -> int:
    return pq.ParquetFile(path).metadata.num_rows


def parquet_types(db, path: Path) -> list[str]:
    """The DuckDB type each column reads as, in file order."""
    describe = f"DESCRIBE SELECT * FROM read_parquet({literal(path)})"  # noqa: S608 (a quoted path)
    return [row[1] for row in db.execute(describe).fetchall()]


def select_from_parquet_sql(path: Path, aliases: list[str]) -> str:
    """Positional aliases c0..cN, so duplicate names in the file cannot collide."""
    return f"read_parquet({literal(path)}) AS source({', '.join(aliases)})"


def map_type(duckdb_type: str) -> tuple[str, str]:
    """(Datamill type, SQL template with {c} for the column) for one DuckDB type."""
    base = duckdb_type.upper()
    if base in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER"):
        return "integer", "CAST({c} AS BIGINT)"
    if base in ("UBIGINT", "HUGEINT", "UHUGEINT"):
        return "bigint", "CAST({c} AS DECIMAL(38,0))"
    if decimal := re.fullmatch(r"DECIMAL\((\d+),\s*(\d+)\)", base):
        precision, scale = int(decimal.group(1)), int(decimal.group(2))
        if scale == 0:
            return ("integer", "CAST({c} AS BIGINT)") if precision <= 18 else ("bigint", "CAST({c} AS DECIMAL(38,0))")
        return "float", "CAST({c} AS DOUBLE)"
    if base in ("FLOAT", "DOUBLE"):
        return "float", "CAST({c} AS DOUBLE)"
    if base == "BOOLEAN":
        return "boolean", "{c}"
    if base == "DATE":
        return "date", "{c}"
    if base in ("TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS"):
        return "timestamp", "CAST({c} AS TIMESTAMP)"
    if base.startswith(("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ")):
        return "timestamp", "timezone('UTC', CAST({c} AS TIMESTAMPTZ))"
    if base == "VARCHAR":
        return "text", "{c}"
    if base.endswith("]") or base.startswith(("STRUCT", "MAP", "UNION")):
        return "text", "CAST(to_json({c}) AS VARCHAR)"
    return "text", "CAST({c} AS VARCHAR)"
