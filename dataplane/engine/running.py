"""Running engine SQL: pooled sandboxed DuckDB connections, a time limit, errors a person can read.

Opening a sandboxed DuckDB costs about 10 ms (measured: most of it is creating the in-memory database), which
is a large part of a 100-row page, so the process keeps its most recently used idle connections, by allowed
directory. The pool is the process's, not a thread's: under ASGI each request runs its view in a thread of
its own, so a pool per thread would be empty on every request. A connection is checked out by one thread at
a time and is never used by two at once; one that raised anything is closed and forgotten, so no half-read
result or interrupted state leaks into the next query. A forked child (Celery prefork) starts with an empty
pool and never touches its parent's connections.
"""

import atexit
import contextlib
import os
import threading
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb

from .connection import sandboxed_connection
from .errors import QueryError, QueryTimeout
from .sql import Fragment

IDLE_CONNECTIONS = 8


class _Pool:
    """The process's idle connections, by directory, least recently used first."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.lock = threading.Lock()
        self.idle: OrderedDict[str, list[duckdb.DuckDBPyConnection]] = OrderedDict()

    def take(self, key: str) -> duckdb.DuckDBPyConnection | None:
        with self.lock:
            waiting = self.idle.get(key)
            if not waiting:
                return None
            connection = waiting.pop()
            if not waiting:
                del self.idle[key]
            return connection

    def give(self, key: str, connection: duckdb.DuckDBPyConnection) -> None:
        evicted = []
        with self.lock:
            self.idle.setdefault(key, []).append(connection)
            self.idle.move_to_end(key)
            while sum(len(waiting) for waiting in self.idle.values()) > IDLE_CONNECTIONS:
                oldest_key, oldest = next(iter(self.idle.items()))
                evicted.append(oldest.pop(0))
                if not oldest:
                    del self.idle[oldest_key]
        for stale in evicted:
            _close(stale)

    def close(self) -> None:
        with self.lock:
            idle, self.idle = self.idle, OrderedDict()
        for waiting in idle.values():
            for connection in waiting:
                _close(connection)


_pool_lock = threading.Lock()
_process_pool: _Pool | None = None


def _pool() -> _Pool:
    global _process_pool
    with _pool_lock:
        if _process_pool is None or _process_pool.pid != os.getpid():
            _process_pool = _Pool()
        return _process_pool


def _close(connection: duckdb.DuckDBPyConnection) -> None:
    with contextlib.suppress(Exception):
        connection.close()


@contextlib.contextmanager
def pooled_connection(directory: Path | None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A sandboxed connection that may read `directory` (nothing at all for None), this thread's until the
    block ends."""
    pool, key = _pool(), "" if directory is None else str(directory)
    connection = pool.take(key)
    if connection is None:
        connection = sandboxed_connection(allowed_directories=[] if directory is None else [directory])
    try:
        yield connection
    except BaseException:
        _close(connection)
        raise
    pool.give(key, connection)


def close_pooled_connections() -> None:
    """Close the process's idle pooled connections (tests, shutdown)."""
    _pool().close()


@atexit.register
def _close_all_at_exit() -> None:
    if _process_pool is not None and _process_pool.pid == os.getpid():  # never a parent's, after a fork
        _process_pool.close()


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
