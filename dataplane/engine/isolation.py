"""Running user-written SQL in a child process, where the operating system holds the memory and time limits.

It holds DESIGN.md's "Every limit holds as stated, whatever the query": DuckDB's own `memory_limit` does not
bound a single huge value (`repeat('x', 1000000000)` is one string built outside its buffer manager), and
`interrupt()` does not stop one long function call in time. So every statement or expression a person wrote
runs in a pre-started child process whose writable memory is capped by RLIMIT_DATA, and whose parent kills it
at the time limit plus `GRACE_S`. Measured on DuckDB 2.0: both RLIMIT_AS and RLIMIT_DATA turn its big
allocations into an OutOfMemory error, but an idle DuckDB already maps 760 MB of address space (a reserved
malloc arena and a stack per thread, shared libraries) against 210 MB of writable data, so an address-space cap
would track the thread count rather than the query; RLIMIT_DATA is set to the child's writable size when it
was ready plus the request's limit plus a margin. DuckDB's own memory limit stays set inside, so ordinary big
queries spill or fail politely before the hard cap is reached.

- A child is started with `subprocess` (fork + exec of a fresh interpreter: never a fork of a process that
  runs DuckDB threads), imports the engine once, then serves one request at a time, for as long as it stays
  small. One that died, was killed or hit a limit is replaced.
- Requests go down as pickles (the parent is trusted); answers come back as length-prefixed JSON, capped at
  `answer_max_bytes`, so nothing the child was made to say can run code or grow the parent.
- `run(...)` raises `error(code, message, details)`: `query_too_large` for a child that ran out of memory
  (MemoryError, std::bad_alloc, a DuckDB OutOfMemory, death by a signal), `query_timeout` past the deadline,
  `query_cancelled` when `should_stop()` turned true, and the child's own refusals as they were.
- The pool is the process's: each web or Celery worker process has its own, at most `children` at once; a
  caller waits for one inside its own deadline.
"""

import atexit
import contextlib
import json
import logging
import os
import pickle
import resource
import select
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import QueryError

logger = logging.getLogger(__name__)

QUERY_TOO_LARGE = "query_too_large"
QUERY_TIMEOUT = "query_timeout"
QUERY_CANCELLED = "query_cancelled"
QUERY_FAILED = "query_failed"
GRACE_S = 0.2  # past the time limit, before the parent kills: the child's own interrupt answers first
STOP_POLL_S = 0.5
START_TIMEOUT_S = 60
HEADROOM_MIN = 64 * 1024**2  # writable memory allowed past DuckDB's limit (Python objects, thread stacks)
RETIRE_GROWTH = 128 * 1024**2  # a child whose writable memory grew this much since it started is replaced
MAX_REQUESTS = 200
PRELOAD = ("dataplane.sql.runner", "dataplane.recipes.preview")
OUR_CODE = "dataplane."  # a child runs functions of the data plane only: Django-free, like the child itself
TOO_LARGE_MESSAGE = "The query needs more memory than allowed; narrow it or aggregate first."
TOO_LARGE_CODES = {QUERY_TOO_LARGE, "too_expensive"}
TIMEOUT_CODES = {QUERY_TIMEOUT, "timeout"}
FRAME = struct.Struct("!I")
_ROOT = Path(__file__).resolve().parents[2]
_UNITS = {"": 1, "B": 1, "KB": 1000, "MB": 1000**2, "GB": 1000**3, "KIB": 1024, "MIB": 1024**2, "GIB": 1024**3}


def parse_bytes(text: str) -> int:
    """DuckDB's way of writing a size ("256MB", "1GB", "1.5GiB") in bytes."""
    number = text.strip().upper().replace(" ", "")
    unit = number.lstrip("0123456789.")
    return int(float(number[: len(number) - len(unit)]) * _UNITS[unit])


def _time_message(timeout_s: float) -> str:
    return f"The query took longer than {timeout_s:g} seconds and was stopped. Narrow it with filters."


class _Child:
    """One started interpreter, its pipes, and what it weighed when it was ready."""

    def __init__(self) -> None:
        env = {**os.environ, "MALLOC_ARENA_MAX": "2", "PYTHONPATH": str(_ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
        env.pop("DJANGO_SETTINGS_MODULE", None)  # the child is Django-free: nothing there reads settings
        self.process = subprocess.Popen(  # our own interpreter and module
            [sys.executable, "-m", "dataplane.engine.isolation_child", *PRELOAD],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=str(_ROOT),
            env=env,
            close_fds=True,
        )
        self.pid = self.process.pid
        self.requests = 0
        self.data_bytes = self.read(time.monotonic() + START_TIMEOUT_S, 1 << 16)["ready"]["data_bytes"]
        self.baseline = self.data_bytes

    def limit(self, memory_bytes: int) -> None:
        """Cap the child's writable memory for the next request (soft and hard, so nothing there raises it)."""
        cap = self.baseline + memory_bytes + max(HEADROOM_MIN, memory_bytes // 4)
        if not hasattr(resource, "prlimit"):  # not Linux (a developer's Mac): DuckDB's limit and the kill only
            logger.warning("No prlimit here: isolated queries run without an operating-system memory cap")
            return
        resource.prlimit(self.pid, resource.RLIMIT_DATA, (cap, cap))

    def send(self, request: dict) -> None:
        body = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
        assert self.process.stdin is not None
        self.process.stdin.write(FRAME.pack(len(body)) + body)
        self.process.stdin.flush()

    def read(self, deadline: float, max_bytes: int) -> dict:
        """The next message, or TimeoutError at `deadline`, EOFError if the child is gone, OverflowError if the
        message is longer than `max_bytes`."""
        length = FRAME.unpack(self._read_exactly(FRAME.size, deadline))[0]
        if length > max_bytes:
            raise OverflowError(length)
        return json.loads(self._read_exactly(length, deadline))

    def _read_exactly(self, size: int, deadline: float) -> bytes:
        assert self.process.stdout is not None
        fd, chunks, left = self.process.stdout.fileno(), [], size
        while left:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                raise TimeoutError
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def stop(self) -> None:
        """Kill and reap the child; its pipes are closed, so nothing of it stays behind."""
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()
        with contextlib.suppress(Exception):
            self.process.wait(timeout=5)
        for pipe in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(Exception):
                pipe.close()


class ChildPool:
    """At most `size` children, idle ones kept warm; a dead or grown one is replaced in the background."""

    def __init__(self, size: int, warm: int = 1) -> None:
        self.size, self.warm = max(1, size), max(0, min(warm, size))
        self.pid = os.getpid()
        self.idle: list[_Child] = []
        self.busy = 0
        self.starting = 0
        self.waiting = 0
        self.condition = threading.Condition(threading.RLock())
        self._prestart(self.warm)

    def _prestart(self, count: int) -> None:
        for _ in range(count):
            with self.condition:
                if len(self.idle) + self.busy + self.starting >= self.size:
                    return
                self.starting += 1
            threading.Thread(target=self._start_idle, daemon=True).start()

    def _start_idle(self) -> None:
        child = None
        try:
            child = _Child()
        except Exception:  # a failed start leaves the slot free for the next caller to retry
            logger.exception("An isolated query process did not start")
            child = None
        finally:
            with self.condition:
                self.starting -= 1
                if child is not None:
                    self.idle.append(child)
                self.condition.notify_all()

    def acquire(self, deadline: float) -> _Child | None:
        """A child of this caller's own until `release`, or None if none was ready before `deadline`. Children
        start in the background (about a second of imports), so a caller never waits on another's start."""
        with self.condition:  # an RLock: _prestart may take it again
            self.waiting += 1
            try:
                while not self.idle:
                    if self.starting < self.waiting:
                        self._prestart(1)
                    wait = deadline - time.monotonic()
                    if wait <= 0:
                        return None
                    self.condition.wait(min(wait, 1.0))
                self.busy += 1
                return self.idle.pop()
            finally:
                self.waiting -= 1

    def wait_ready(self, count: int, timeout_s: float) -> bool:
        """Whether `count` children are idle within `timeout_s` (tests and benchmarks start from a warm pool)."""
        self._prestart(count - len(self.idle))
        deadline = time.monotonic() + timeout_s
        with self.condition:
            while len(self.idle) < count:
                wait = deadline - time.monotonic()
                if wait <= 0:
                    return False
                self.condition.wait(wait)
            return True

    def release(self, child: _Child, *, healthy: bool) -> None:
        grown = child.data_bytes - child.baseline > RETIRE_GROWTH or child.requests >= MAX_REQUESTS
        if not healthy or grown or child.process.poll() is not None:
            child.stop()
            with self.condition:
                self.busy -= 1
                self.condition.notify_all()
            self._prestart(self.warm - len(self.idle))
            return
        with self.condition:
            self.busy -= 1
            self.idle.append(child)
            self.condition.notify_all()

    def close(self) -> None:
        with self.condition:
            idle, self.idle = self.idle, []
        for child in idle:
            child.stop()


_pool_lock = threading.Lock()
_process_pool: ChildPool | None = None


def pool(size: int = 4, warm: int = 1) -> ChildPool:
    """The process's pool (a forked Celery worker starts its own), made with `size` and `warm` the first time."""
    global _process_pool
    with _pool_lock:
        if _process_pool is None or _process_pool.pid != os.getpid():
            _process_pool = ChildPool(size, warm)
        return _process_pool


@atexit.register
def _stop_children_at_exit() -> None:
    if _process_pool is not None and _process_pool.pid == os.getpid():
        _process_pool.close()


def run(
    target: str,
    *,
    kwargs: dict[str, Any],
    memory_limit: str,
    timeout_s: float,
    error: Callable[[str, str, Any], Exception] = QueryError,
    on_progress: Callable[[float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    answer_max_bytes: int = 64 * 1024**2,
    children: int = 4,
    warm: int = 1,
    spent_s: float = 0.0,
) -> Any:
    """`target(**kwargs)` ("dataplane.module:function", the data plane's own code) in a child capped at
    `memory_limit` of writable memory beyond its start, answered within `timeout_s` + GRACE_S; its answer, as
    JSON gave it back.

    Raises `error(code, message, details)` as the module docstring says. Waiting for a free child counts
    against the time limit, and so does `spent_s`, what the caller's request already took (checks, names).
    """
    if not target.startswith(OUR_CODE):
        raise ValueError(f"not our code: {target}")
    started = time.monotonic() - max(0.0, spent_s)
    deadline = started + timeout_s + GRACE_S
    processes = pool(children, warm)
    child = processes.acquire(started + timeout_s)
    if child is None:
        raise error(QUERY_TIMEOUT, _time_message(timeout_s), {"timeout_s": timeout_s})
    healthy = False
    try:
        try:
            child.limit(parse_bytes(memory_limit))
        except PermissionError:  # its hard cap is lower than this request's: a fresh child takes it
            child.stop()
            child = _Child()
            child.limit(parse_bytes(memory_limit))
        child.requests += 1
        child.send({"target": target, "kwargs": kwargs, "progress": on_progress is not None})
        answer = _wait(child, deadline, answer_max_bytes, timeout_s, error, on_progress, should_stop)
        healthy = True
        return answer
    finally:
        processes.release(child, healthy=healthy)


def _wait(child, deadline, answer_max_bytes, timeout_s, error, on_progress, should_stop) -> Any:
    next_check = time.monotonic() + STOP_POLL_S
    while True:
        until = min(deadline, next_check) if should_stop else deadline
        try:
            message = child.read(until, answer_max_bytes)
        except TimeoutError:
            if time.monotonic() >= deadline:
                child.stop()
                raise error(QUERY_TIMEOUT, _time_message(timeout_s), {"timeout_s": timeout_s}) from None
            next_check = time.monotonic() + STOP_POLL_S
            if should_stop is not None and should_stop():
                child.stop()
                raise error(QUERY_CANCELLED, "The query was cancelled.", {}) from None
            continue
        except OverflowError:
            child.stop()
            raise error(
                QUERY_TOO_LARGE, "The answer is larger than allowed; select fewer rows or columns.", {}
            ) from None
        except (EOFError, OSError, ValueError):
            child.stop()  # it died: out of memory (std::bad_alloc aborts, the kernel kills), or a signal
            logger.info("An isolated query process ended with %s", child.process.returncode)
            raise error(QUERY_TOO_LARGE, TOO_LARGE_MESSAGE, {}) from None
        if "progress" in message:
            if on_progress is not None:
                on_progress(float(message["progress"]))
            continue
        child.data_bytes = int(message.get("data_bytes", child.data_bytes))
        if "answer" in message:
            return message["answer"]
        refusal = message.get("refusal") or {}
        code, text, details = refusal.get("code", QUERY_FAILED), refusal.get("message", ""), refusal.get("details")
        if code in TOO_LARGE_CODES:
            raise error(QUERY_TOO_LARGE, TOO_LARGE_MESSAGE, {})
        if code in TIMEOUT_CODES:
            raise error(QUERY_TIMEOUT, _time_message(timeout_s), {"timeout_s": timeout_s})
        raise error(code, text or "The query could not be computed.", details or {})
