"""Counting attempts in the shared cache: fixed windows that say how long is left.

`Counter("reset-ip", 10, 3600)` counts attempts per key (an address, an account) for an hour from the
first one; `reached(key)` is true once 10 were counted, and `wait(key)` says how many seconds until the
count starts over. Keys are hashed: an e-mail address never appears in the cache in clear.
"""

import hashlib
import math
import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Counter:
    name: str
    limit: int
    window: int  # seconds

    def _key(self, value: str) -> str:
        return f"limit:{self.name}:{hashlib.sha256(value.lower().encode()).hexdigest()[:32]}"

    def count(self, value: str) -> int:
        return cache.get(self._key(value)) or 0

    def reached(self, value: str) -> bool:
        return self.count(value) >= self.limit

    def add(self, value: str) -> int:
        """Count one attempt; returns the count."""
        key = self._key(value)
        if cache.add(key, 1, timeout=self.window):
            cache.set(key + ":until", time.time() + self.window, timeout=self.window)
            return 1
        try:
            return cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.set(key, 1, timeout=self.window)
            return 1

    def clear(self, value: str) -> None:
        cache.delete_many([self._key(value), self._key(value) + ":until"])

    def wait(self, value: str) -> int:
        """Seconds until the count of `value` starts over (the whole window when unknown)."""
        until = cache.get(self._key(value) + ":until")
        return max(1, math.ceil(until - time.time())) if until else self.window


def wait_text(seconds: int) -> str:
    """`seconds` as people say it: "about 40 seconds", "14 minutes", "2 hours"."""
    if seconds < 60:
        return f"{seconds} seconds"
    minutes = math.ceil(seconds / 60)
    if minutes < 120:
        return "1 minute" if minutes == 1 else f"{minutes} minutes"
    return f"{math.ceil(minutes / 60)} hours"
