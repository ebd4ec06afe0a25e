"""Running engine SQL: a sandboxed DuckDB per thread and directory, a time limit, errors a person can read.

Opening a sandboxed DuckDB costs about 10 ms (measured: most of it is creating the in-memory database), which
is a large part of a 100-row page, so each thread keeps its few most recent connections, one per allowed
directory. A connection is never shared between threads; one that raised anything is closed and forgotten,
so no half-read result or interrupted state leaks into the next query. A forked child (Celery prefork)
starts with an empty pool.
"""

import atexit
import contextlib
import os
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb

from .connection import sandboxed_connection
from .errors import QueryError, QueryTimeout
from .sql import Fragment

CONNECTIONS_PER_THREAD = 4


class _Pool:
    """One thread's connections by directory, least recently used first."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.connections: OrderedDict[str, duckdb.DuckDBPyConnection] = OrderedDict()

    def close(self) -> None:
        while self.connections:
            _close(self.connections.popitem()[1])


_local = threading.local()
_pools: "weakref.WeakSet[_Pool]" = weakref.WeakSet()


def _pool() -> _Pool:
    pool = getattr(_local, "pool", None)
    if pool is None or pool.pid != os.getpid():
        pool = _local.pool = _Pool()
        _pools.add(pool)
    return pool


def _close(connection: duckdb.DuckDBPyConnection) -> None:
    with contextlib.suppress(Exception):
        connection.close()


@contextlib.contextmanager
def pooled_connection(directory: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """This thread's sandboxed connection that may read `directory` (and nothing else)."""
    pool, key = _pool().connections, str(directory)
    connection = pool.pop(key, None)
    if connection is None:
        connection = sandboxed_connection(allowed_directories=[directory])
    try:
        yield connection
    except BaseException:
        _close(connection)
        raise
    pool[key] = connection
    while len(pool) > CONNECTIONS_PER_THREAD:
        _close(pool.popitem(last=False)[1])


def close_pooled_connections() -> None:
    """Close this thread's pooled connections (tests, shutdown)."""
    _pool().close()


@atexit.register
def _close_all_at_exit() -> None:
    # Connections left open at interpreter exit make DuckDB's bindings print leak warnings.
    for pool in list(_pools):
        if pool.pid == os.getpid():  # never touch a parent process's connections after a fork
            pool.close()


class Deadline:
    """Interrupts the connection's running query after `timeout_s`, and turns that into QueryTimeout.

    The timer may only interrupt while the block runs (a lock guards the flag), so a late timer can never
    stop the next query on the same connection. Other DuckDB errors that bad input can still cause (an
    overflowing sum, a query too large for the memory limit) become QueryErrors too.
    """

    def __init__(self, connection: duckdb.DuckDBPyConnection, timeout_s: float | None) -> None:
        self.connection = connection
        self.timeout_s = timeout_s
        self.fired = False
        self._active = False
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def _interrupt(self) -> None:
        with self._lock:
            if self._active:
                self.fired = True
                self.connection.interrupt()

    def __enter__(self) -> "Deadline":
        self._active = True
        if self.timeout_s is not None:
            self._timer = threading.Timer(self.timeout_s, self._interrupt)
            self._timer.daemon = True
            self._timer.start()
        return self

    def __exit__(self, exc_type: Any, exc: BaseException | None, traceback: Any) -> None:
        with self._lock:
            self._active = False
        if self._timer is not None:
            self._timer.cancel()
        if exc is None or isinstance(exc, QueryError | GeneratorExit):
            return
        if self.fired or isinstance(exc, duckdb.InterruptException):
            raise QueryTimeout(self.timeout_s or 0) from exc
        if isinstance(exc, duckdb.OutOfRangeException | duckdb.ConversionException):
            raise QueryError("query_failed", f"The query could not be computed: {_first_line(exc)}") from exc
        if isinstance(exc, duckdb.OutOfMemoryException):
            raise QueryError(
                "too_expensive", "The query needs more memory than allowed. Narrow it with filters."
            ) from exc


def _first_line(error: BaseException) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def fetchall(connection: duckdb.DuckDBPyConnection, query: Fragment) -> list[tuple[Any, ...]]:
    return connection.execute(query.text, list(query.params)).fetchall()
