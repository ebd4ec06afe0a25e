"""Running a checked statement in the sandboxed DuckDB: a page of rows for the API, or every row into Parquet.

Django-free, like the engine. The connection is the engine's sandboxed one (only the input versions' published
files readable, not their folders; external access off, configuration locked), with a memory limit, a private spill
folder (the one directory it may write, for temporary files) removed afterwards, and the engine's `Deadline` for
the time limit. The statement is wrapped once more by the server: `SELECT <each column cast to a Datamill type>
FROM (<statement>) AS q(c0, c1, ...)`, so duplicate or odd output names cannot collide and the values have the same
types the rows API serves (lists and structs as JSON text, times and intervals as text: `map_type` of the Parquet
ingest). Only the server writes the file paths in that SQL; DuckDB's messages get them replaced by the table names
the person wrote, and any other absolute path left in a message is replaced too.
"""

import contextlib
import re
import shutil
import tempfile
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq

from dataplane.engine.connection import sandboxed_connection
from dataplane.engine.errors import QueryError, QueryTimeout
from dataplane.engine.output import json_value
from dataplane.engine.running import Deadline
from dataplane.engine.sql import quote_identifier
from dataplane.errors import Refusal
from dataplane.ingest.parquet_source import map_type

QUERY_TIMEOUT = "query_timeout"
QUERY_TOO_LARGE = "query_too_large"
QUERY_FAILED = "query_failed"
QUERY_CANCELLED = "query_cancelled"
BATCH_ROWS = 64 * 1024
# An absolute path of two or more parts (a spill file, a folder) that no scrub entry named.
ABSOLUTE_PATH = re.compile(r"(?<![\w.:/])/(?:[^\s'\"/]+/)+[^\s'\"/]*")
PROGRESS_EVERY_S = 0.5


class RunError(Refusal):
    """A statement that passed the guard but could not be answered (a 400); `code` is the API's error code."""


@dataclass(frozen=True)
class Budget:
    timeout_s: float
    memory_limit: str
    spill_parent: Path | None = None


def unique_names(names: list[str]) -> list[str]:
    """Output names made unique in order: a second `x` becomes `x_2`, as the ingest names duplicates."""
    seen: set[str] = set()
    unique = []
    for name in names:
        candidate, n = name or "column", 1
        while candidate in seen:
            n += 1
            candidate = f"{name}_{n}"
        seen.add(candidate)
        unique.append(candidate)
    return unique


def _scrubbed(error: BaseException, scrub: Mapping[str, str]) -> str:
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    for path, name in scrub.items():
        text = text.replace(f"read_parquet('{path}')", name).replace(f"READ_PARQUET('{path}')", name)
        text = text.replace(path, name)
    text = ABSOLUTE_PATH.sub("<server path>", text)
    return text.replace("Binder Error: ", "").replace("Catalog Error: ", "")


@contextlib.contextmanager
def _connection(files: list[Path], budget: Budget, *, progress: bool = False):
    spill = tempfile.mkdtemp(prefix="datamill-sql-", dir=budget.spill_parent)
    try:
        connection = sandboxed_connection(
            allowed_files=files,
            memory_limit=budget.memory_limit,
            temp_directory=spill,
            progress=progress,
        )
        try:
            yield connection
        finally:
            connection.close()
    finally:
        shutil.rmtree(spill, ignore_errors=True)


def _typed(connection, sql: str, scrub: Mapping[str, str]) -> tuple[str, list[dict[str, str]]]:
    """The wrapped SQL that casts every output column to a Datamill type, and those columns."""
    try:
        relation = connection.sql(sql)
        names, types = relation.columns, [str(t) for t in relation.types]
    except duckdb.Error as error:
        raise RunError(QUERY_FAILED, f"The query could not run: {_scrubbed(error, scrub)}") from None
    aliases = [f"c{i}" for i in range(len(names))]
    columns, selections = [], []
    for alias, name, duckdb_type in zip(aliases, unique_names(list(names)), types, strict=True):
        type_, template = map_type(duckdb_type)
        columns.append({"name": name, "type": type_})
        selections.append(f"{template.format(c=alias)} AS {quote_identifier(name)}")
    wrapped = f"SELECT {', '.join(selections)} FROM ({sql}) AS q({', '.join(aliases)})"  # noqa: S608 (checked SQL)
    return wrapped, columns


def _translate(error: BaseException, scrub: Mapping[str, str]) -> RunError:
    if isinstance(error, QueryTimeout):
        return RunError(QUERY_TIMEOUT, error.message, error.details)
    if isinstance(error, QueryError) and error.code == "too_expensive":
        return RunError(QUERY_TOO_LARGE, "The query needs more memory than allowed; narrow it or aggregate first.")
    if isinstance(error, duckdb.OutOfMemoryException):
        return RunError(QUERY_TOO_LARGE, "The query needs more memory than allowed; narrow it or aggregate first.")
    return RunError(QUERY_FAILED, f"The query could not be computed: {_scrubbed(error, scrub)}")


def run_rows(
    sql: str, *, files: list[Path], limit: int, budget: Budget, scrub: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """`{columns, rows, truncated}`: at most `limit` rows of the statement, values JSON-ready. DuckDB may read
    `files` (the inputs' published files) and nothing else.

    Raises RunError: query_timeout past `budget.timeout_s`, query_too_large past the memory limit,
    query_failed for what DuckDB refuses (an unknown column, a bad cast), with a message naming it.
    """
    scrub = scrub or {}
    with _connection(files, budget) as connection:
        wrapped, columns = _typed(connection, sql, scrub)
        try:
            with Deadline(connection, budget.timeout_s):
                fetched = connection.execute(f"{wrapped} LIMIT {int(limit) + 1}").fetchall()
        except (QueryError, duckdb.Error) as error:
            raise _translate(error, scrub) from None
    names = [column["name"] for column in columns]
    rows = [{name: json_value(value) for name, value in zip(names, row, strict=True)} for row in fetched[:limit]]
    return {"columns": columns, "rows": rows, "truncated": len(fetched) > limit}


class _Watcher:
    """Reports DuckDB's query progress while the statement runs, and interrupts it when told to stop."""

    def __init__(self, connection, on_progress: Callable[[float], None], should_stop: Callable[[], bool]) -> None:
        self.connection, self.on_progress, self.should_stop = connection, on_progress, should_stop
        self.stopped = False
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._done.wait(PROGRESS_EVERY_S):
            with contextlib.suppress(Exception):
                if self.should_stop():
                    self.stopped = True
                    self.connection.interrupt()
                    return
                percent = self.connection.query_progress()
                if percent >= 0:
                    self.on_progress(min(percent, 100.0) / 100)

    def __enter__(self) -> "_Watcher":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._done.set()
        self._thread.join()


def run_to_parquet(
    sql: str,
    *,
    files: list[Path],
    destination: Path,
    budget: Budget,
    max_rows: int,
    scrub: Mapping[str, str] | None = None,
    on_progress: Callable[[float], None] = lambda fraction: None,
    should_stop: Callable[[], bool] = lambda: False,
) -> dict[str, Any]:
    """Every row of the statement written to `destination` (zstd Parquet, renamed into place when complete).

    Answers `{columns, row_count}`. Raises RunError as `run_rows` does, query_too_large past `max_rows`,
    and query_cancelled when `should_stop()` turned true while it ran; a partial file never stays behind.
    """
    scrub = scrub or {}
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    row_count = 0
    with _connection(files, budget, progress=True) as connection:
        wrapped, columns = _typed(connection, sql, scrub)
        try:
            with _Watcher(connection, on_progress, should_stop) as watcher, Deadline(connection, budget.timeout_s):
                reader = connection.sql(wrapped).to_arrow_reader(BATCH_ROWS)
                with pq.ParquetWriter(partial, reader.schema, compression="zstd") as writer:
                    for batch in reader:
                        row_count += batch.num_rows
                        if row_count > max_rows:
                            raise RunError(
                                QUERY_TOO_LARGE,
                                f"The result has more than {max_rows:,} rows; aggregate or filter it first.",
                            )
                        writer.write_batch(batch)
        except RunError:
            partial.unlink(missing_ok=True)
            raise
        except (QueryError, duckdb.Error) as error:
            partial.unlink(missing_ok=True)
            if watcher.stopped:
                raise RunError(QUERY_CANCELLED, "The query was cancelled.") from None
            raise _translate(error, scrub) from None
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    partial.replace(destination)
    return {"columns": columns, "row_count": row_count}
