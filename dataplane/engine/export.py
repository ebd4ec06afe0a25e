"""Exports: every row matching the rows API's filters, `_sort`, `_cols` and `_search`, streamed as a file.

Memory stays flat whatever the size: DuckDB streams Arrow record batches, and each batch is encoded and
handed on before the next is read. A sort runs under a 256 MB memory limit and spills the rest to a private
temporary directory, removed when the stream ends or is abandoned.

- csv: a header of column names, then one line per row (pyarrow's writer; text is quoted, a quote
  doubled, so commas, quotes and newlines survive; an empty cell is null, ``""`` an empty string).
  A spreadsheet would run a text cell starting with ``= + - @``, tab or carriage return as a formula, so such
  text cells (and column names) get a leading ``'`` (OWASP's CSV-injection rule) unless `csv_formulas` is
  "raw"; numbers, dates and booleans are never text cells, so ``-5`` in a numeric column stays ``-5``.
- json: one array of objects; ndjson: one object per line. Values follow the rows API's JSON conventions
  (`output.py`): rendered by DuckDB itself, so a 5-million-row export costs seconds, not minutes.
- parquet: the column types as stored, written batch by batch straight into the response.

Dates are ``2024-01-31`` and timestamps ``2024-01-31T13:45:00[.ffffff]`` in every text format.
`_size` and `_cursor` are ignored: an export is all the rows.
"""

import contextlib
import io
import shutil
import tempfile
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from .connection import sandboxed_connection
from .errors import QueryError
from .filters import where_clause
from .rows import order_by
from .rows_request import RowsRequest, parse_rows_request
from .running import Deadline
from .schema import BIGINT, FLOAT, INTEGER, TEXT, TIMESTAMP, Column, Schema
from .source import ParquetSource
from .sql import Fragment, join

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "json": ("application/json", "json"),
    "ndjson": ("application/x-ndjson", "ndjson"),
    "parquet": ("application/vnd.apache.parquet", "parquet"),
}
BATCH_ROWS = 64 * 1024
DEFAULT_TIMEOUT_S = 900
# A sorted export spills to disk past this: 5M sorted rows peak at ~450 MB of process memory instead of ~1.1 GB.
MEMORY_LIMIT = "256MB"
MAX_SAFE_INTEGER = 2**53 - 1
# `csv_formulas`: "escape" (the default) neutralises text cells a spreadsheet would run; "raw" keeps exact values.
CSV_FORMULAS = ("escape", "raw")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(text: str) -> str:
    """A text cell as a spreadsheet may open it: with a leading ' when it would start a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def neutralised_sql(column: str) -> str:
    """SQL for a text column's value with a leading ' when it would start a formula (as `neutralised`)."""
    starts = "'=', '+', '-', '@', chr(9), chr(13)"
    return f"CASE WHEN left({column}, 1) IN ({starts}) THEN chr(39) || {column} ELSE {column} END"


def iso_timestamp(column: str) -> str:
    """SQL for a timestamp as Python's isoformat() writes it: microseconds only when there are some."""
    return (
        f"strftime({column}, '%Y-%m-%dT%H:%M:%S') || "
        f"CASE WHEN strftime({column}, '%f') = '000000' THEN '' ELSE '.' || strftime({column}, '%f') END"
    )


def json_expression(column: Column) -> str:
    """SQL for the column's value as JSON, following output.py's conventions."""
    name = column.sql
    if column.type == INTEGER:
        safe = f"{name} BETWEEN -{MAX_SAFE_INTEGER} AND {MAX_SAFE_INTEGER}"
        return f"CASE WHEN {safe} THEN to_json({name}) ELSE to_json(CAST({name} AS VARCHAR)) END"
    if column.type == BIGINT:
        return f"to_json(CAST({name} AS VARCHAR))"
    if column.type == FLOAT:
        return f"CASE WHEN isfinite({name}) THEN to_json({name}) END"
    if column.type == TIMESTAMP:
        return f"to_json({iso_timestamp(name)})"
    return f"to_json({name})"


def json_object(columns: list[Column]) -> Fragment:
    """SQL building one row's JSON object text; the keys (column names) are bound values."""
    pairs = [Fragment(f"?, {json_expression(column)}", (column.name,)) for column in columns]
    return Fragment("CAST(json_object(") + join(pairs, ", ") + Fragment(") AS VARCHAR)")


def csv_expression(column: Column, escape: bool) -> str:
    if column.type == TIMESTAMP:
        return f"{iso_timestamp(column.sql)} AS {column.sql}"
    if column.type == TEXT and escape:
        return f"{neutralised_sql(column.sql)} AS {column.sql}"
    return column.sql


def selection(fmt: str, columns: list[Column], csv_formulas: str = "escape") -> Fragment:
    if fmt == "ndjson":
        return json_object(columns) + Fragment(" || chr(10)")
    if fmt == "json":
        return Fragment("',' || chr(10) || ") + json_object(columns)
    if fmt == "csv":
        return Fragment(", ".join(csv_expression(c, csv_formulas == "escape") for c in columns))
    return Fragment(", ".join(column.sql for column in columns))


def export_query(
    source: ParquetSource, request: RowsRequest, fmt: str, schema: Schema, csv_formulas: str = "escape"
) -> Fragment:
    query = (
        Fragment("SELECT ")
        + selection(fmt, request.columns, csv_formulas)
        + Fragment(" FROM ")
        + source.relation(row_id=bool(request.sort))
        + Fragment(" WHERE ")
        + where_clause(request.filters, request.search, schema)
    )
    if request.sort:  # without a sort, DuckDB's preserved insertion order is file order, with no sort cost
        query += Fragment(f" ORDER BY {order_by(request.sort, source.row_id)}")
    return query


class _Chunks(io.RawIOBase):
    """A write-only file that keeps what was written until `take` hands it on."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self._position = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self._parts.append(chunk)
        self._position += len(chunk)
        return len(chunk)

    def tell(self) -> int:
        return self._position

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def _text_lines(batches: Iterator[pa.RecordBatch]) -> Iterator[bytes]:
    """The bytes of a one-column text result, read straight from Arrow's buffer (no Python strings)."""
    for batch in batches:
        lines = batch.column(0)
        if len(lines) == 0:
            continue
        if lines.offset or lines.null_count or not pa.types.is_string(lines.type):
            yield "".join(lines.to_pylist()).encode()
            continue
        _, offsets, data = lines.buffers()
        positions = memoryview(offsets).cast("i")  # int32 offsets: row i is data[positions[i]:positions[i + 1]]
        yield data[positions[0] : positions[len(lines)]].to_pybytes()


def _ndjson(reader: pa.RecordBatchReader) -> Iterator[bytes]:
    yield from _text_lines(reader)


def _json(reader: pa.RecordBatchReader) -> Iterator[bytes]:
    yield b"["
    first = True
    for chunk in _text_lines(reader):
        if first:  # every row starts with ",\n"; the first one's comma goes
            chunk, first = chunk[1:], False
        yield chunk
    yield b"\n]\n"


def csv_header(names: list[str], escape: bool) -> bytes:
    """The header line as pyarrow writes it (every name quoted), names neutralised when `escape`."""
    cells = (neutralised(name) if escape else name for name in names)
    return (",".join('"' + cell.replace('"', '""') + '"' for cell in cells) + "\n").encode()


def _csv(reader: pa.RecordBatchReader, csv_formulas: str = "escape") -> Iterator[bytes]:
    sink = _Chunks()
    yield csv_header(reader.schema.names, csv_formulas == "escape")
    options = pa_csv.WriteOptions(include_header=False)
    with pa_csv.CSVWriter(sink, reader.schema, write_options=options) as writer:
        for batch in reader:
            writer.write_batch(batch)
            yield sink.take()
    yield sink.take()


def _parquet(reader: pa.RecordBatchReader) -> Iterator[bytes]:
    sink = _Chunks()
    with pq.ParquetWriter(sink, reader.schema, compression="zstd") as writer:
        for batch in reader:
            if batch.num_rows:
                writer.write_batch(batch)
                yield sink.take()
    yield sink.take()


ENCODERS: dict[str, Callable[[pa.RecordBatchReader], Iterator[bytes]]] = {
    "csv": _csv,
    "json": _json,
    "ndjson": _ndjson,
    "parquet": _parquet,
}


def _stream(
    source: ParquetSource,
    query: Fragment,
    encode: Callable[[pa.RecordBatchReader], Iterator[bytes]],
    timeout_s: float | None,
    spill_directory: Path | None,
) -> Iterator[bytes]:
    spill = tempfile.mkdtemp(prefix="datamill-export-", dir=spill_directory)
    try:
        connection = sandboxed_connection(
            allowed_directories=[source.directory], temp_directory=spill, memory_limit=MEMORY_LIMIT
        )
        try:
            with Deadline(connection, timeout_s):
                relation = connection.sql(query.text, params=list(query.params))
                reader = relation.to_arrow_reader(BATCH_ROWS)
                try:
                    for chunk in encode(reader):
                        if chunk:
                            yield chunk
                finally:
                    with contextlib.suppress(Exception):
                        reader.close()
        finally:
            connection.close()
    finally:
        shutil.rmtree(spill, ignore_errors=True)


def export_stream(
    path: Path,
    columns: list[dict[str, Any]],
    params: Any,
    fmt: str,
    *,
    timeout_s: float | None = DEFAULT_TIMEOUT_S,
    spill_directory: Path | None = None,
    csv_formulas: str = "escape",
) -> tuple[str, str, Iterator[bytes]]:
    """(content type, file extension, chunks of bytes) of the export of `path` in `fmt`.

    Parameters are checked now, so a bad one raises QueryError before any byte is sent; the query runs
    while the chunks are read (its own connection and spill directory, closed and removed at the end or
    when the reader stops early), and stops with QueryTimeout after `timeout_s`. The spill directory is made
    under `spill_directory` (default: the system's temporary directory; pass one on disk if that is tmpfs).
    `csv_formulas` is "escape" (text cells that would start a spreadsheet formula get a leading ') or "raw".
    """
    if fmt not in FORMATS:
        raise QueryError(
            "invalid_format", f"format: {fmt!r} is not one of {', '.join(FORMATS)}.", {"parameter": "format"}
        )
    if csv_formulas not in CSV_FORMULAS:
        raise QueryError(
            "invalid_parameter",
            f"csv_formulas: {csv_formulas!r} is not one of {', '.join(CSV_FORMULAS)}.",
            {"parameter": "csv_formulas"},
        )
    path = Path(path)
    schema = Schema(columns)
    request = parse_rows_request(schema, params, max_size=2**31)
    source = ParquetSource(path, schema)
    content_type, extension = FORMATS[fmt]
    query = export_query(source, request, fmt, schema, csv_formulas)
    encode = partial(_csv, csv_formulas=csv_formulas) if fmt == "csv" else ENCODERS[fmt]
    return content_type, extension, _stream(source, query, encode, timeout_s, spill_directory)
