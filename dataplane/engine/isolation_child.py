"""The child's side of engine/isolation.py: `python -m dataplane.engine.isolation_child <modules to preload>`.

It imports the engine once, warms one DuckDB, says how much writable memory it holds (the parent caps it at that
plus the request's limit), then serves requests from its parent one at a time: a pickled `{target, kwargs}` in,
length-prefixed JSON out (progress messages, then the answer or a refusal). Nothing a library prints reaches the
answer pipe; a parent that died takes its children with it.
"""

import json
import os
import pickle
import resource
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from .isolation import FRAME, QUERY_FAILED, QUERY_TOO_LARGE


def _data_bytes() -> int:
    """The process's private writable memory (what RLIMIT_DATA counts); 0 where /proc is not (not Linux)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _child_main(preload: list[str]) -> None:
    import ctypes
    import gc
    import importlib

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    source, sink = sys.stdin.buffer, os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout = sys.stderr  # nothing a library prints may reach the answer pipe
    lock = threading.Lock()

    def say(message: dict) -> None:
        body = json.dumps(message, separators=(",", ":"), default=str).encode()
        with lock:
            sink.write(FRAME.pack(len(body)) + body)
            sink.flush()

    parent = os.getppid()

    def orphaned() -> None:  # the parent died (a killed worker): stop, even in the middle of a query
        while True:
            time.sleep(1)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=orphaned, daemon=True).start()
    for name in preload:
        importlib.import_module(name)
    import duckdb

    from dataplane.engine.running import close_pooled_connections

    warm = duckdb.connect(":memory:")
    warm.execute("SELECT count(*) FROM range(1000000)").fetchall()  # one database's threads, as a query has
    trim = getattr(ctypes.CDLL(None), "malloc_trim", None)  # glibc's: give freed memory back to the system
    say({"ready": {"data_bytes": _data_bytes()}})
    warm.close()
    while True:
        header = source.read(FRAME.size)
        if len(header) < FRAME.size:
            return
        request = pickle.loads(source.read(FRAME.unpack(header)[0]))  # noqa: S301 (from our own parent)
        try:
            say(_serve(request, say, importlib))
        except MemoryError:
            say({"refusal": {"code": QUERY_TOO_LARGE}})
        close_pooled_connections()  # each pooled database keeps threads: the next request starts as this one did
        gc.collect()
        if trim is not None:
            trim(0)


def _serve(request: dict, say: Callable[[dict], None], importlib: Any) -> dict:
    from dataplane.errors import Refusal

    module, _, function = request["target"].partition(":")
    kwargs = dict(request["kwargs"])
    if request["progress"]:
        kwargs["on_progress"] = lambda fraction: say({"progress": fraction})
    try:
        return {"answer": getattr(importlib.import_module(module), function)(**kwargs), "data_bytes": _data_bytes()}
    except Refusal as refusal:
        details = json.loads(json.dumps(refusal.details, default=str))
        return {"refusal": {"code": refusal.code, "message": refusal.message, "details": details}}
    except MemoryError:
        return {"refusal": {"code": QUERY_TOO_LARGE}}
    except Exception as failure:  # a person gets a sentence, never a traceback
        import duckdb

        if isinstance(failure, duckdb.OutOfMemoryException):
            return {"refusal": {"code": QUERY_TOO_LARGE}}
        # not a Refusal, so not written for people: its text might name a server path
        return {
            "refusal": {"code": QUERY_FAILED, "message": f"The query could not be computed ({type(failure).__name__})."}
        }


if __name__ == "__main__":
    try:
        _child_main(sys.argv[1:])
    except (BrokenPipeError, KeyboardInterrupt):  # the parent went away (shutting down): nothing to say
        os._exit(0)
