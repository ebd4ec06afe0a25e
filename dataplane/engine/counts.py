"""Exact row counts remembered per (file, filter): versions never change, so a count never goes stale."""

import threading
from collections import OrderedDict
from collections.abc import Hashable
from pathlib import Path

from .sql import Fragment


class CountCache:
    """A small thread-safe LRU of counts, shared by every thread of the process."""

    def __init__(self, size: int = 2048) -> None:
        self.size = size
        self._counts: OrderedDict[Hashable, int] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(path: Path, where: Fragment) -> Hashable:
        # Size and modification time guard against a file replaced in place, which versions never are.
        stat = path.stat()
        return (str(path.resolve()), stat.st_size, stat.st_mtime_ns, where.text, tuple(map(repr, where.params)))

    def get(self, key: Hashable) -> int | None:
        with self._lock:
            count = self._counts.get(key)
            if count is not None:
                self._counts.move_to_end(key)
            return count

    def put(self, key: Hashable, count: int) -> None:
        with self._lock:
            self._counts[key] = count
            self._counts.move_to_end(key)
            while len(self._counts) > self.size:
                self._counts.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._counts.clear()


row_counts = CountCache()
