"""What the isolation tests run in a child process (a target must be our own code, under `apps.`)."""

import os
import signal
import time

from dataplane.engine.errors import QueryError


def pid() -> int:
    return os.getpid()


def pid_after(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def crash() -> None:
    os.kill(os.getpid(), signal.SIGSEGV)


def allocate(megabytes: int) -> int:
    return len(bytearray(megabytes * 1024**2))


def text(megabytes: int) -> str:
    return "x" * (megabytes * 1024**2)


def report(on_progress) -> str:
    for step in range(3):
        on_progress(step / 2)
    return "done"


def refuse() -> None:
    raise QueryError("invalid_step", "Step 1 (derive): not this.", {"step": 1})
