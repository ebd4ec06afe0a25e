"""A bounded HTTP load run: N concurrent clients for S seconds against one or more web processes.

Each client is a thread with its own keep-alive connection and its own person (a bearer token), picking
requests from a weighted mix: dataset pages, rows pages with sorts and filters, aggregate queries and job
polls. It stops by itself after the given seconds, and reports requests per second, latency percentiles and
every error (a status of 400 or more, or no answer), beside a baseline run of the same shape.
"""

import http.client
import json
import random
import statistics
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit


@dataclass
class Target:
    """What the mix reads: a dataset (its page and id), one of its text and number columns, a job."""

    page: str
    dataset_id: str
    text_column: str
    text_values: list[str]
    number_column: str
    job_id: str


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    seconds: float = 0.0

    def add(self, kind: str, latency: float, error: str | None) -> None:
        self.latencies.append(latency)
        self.by_kind.setdefault(kind, []).append(latency)
        if error:
            self.errors[error] = self.errors.get(error, 0) + 1

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def percentile(self, p: float, values: list[float] | None = None) -> float:
        values = sorted(values if values is not None else self.latencies)
        if not values:
            return float("nan")
        return values[min(len(values) - 1, int(p / 100 * len(values)))] * 1000

    def line(self, label: str) -> str:
        rps = len(self.latencies) / self.seconds if self.seconds else 0
        return (
            f"{label:<34} {rps:8.1f} req/s   p50 {self.percentile(50):7.1f} ms   p95 {self.percentile(95):7.1f} ms   "
            f"p99 {self.percentile(99):7.1f} ms   errors {self.error_count} of {len(self.latencies)}"
        )


def mixed_request(target: Target, rng: random.Random) -> tuple[str, str, str, bytes | None]:
    """(kind, method, path, body) of one request of the mix."""
    roll = rng.random()
    base = f"/api/v1/datasets/{target.dataset_id}"
    if roll < 0.2:
        return "dataset page", "GET", target.page, None
    if roll < 0.6:
        params = {"_size": 50, "_sort": rng.choice([target.number_column, f"-{target.number_column}", ""])}
        if rng.random() < 0.6:
            params[target.text_column] = rng.choice(target.text_values)
        if rng.random() < 0.4:
            params[f"{target.number_column}__gte"] = rng.randint(0, 50)
        if rng.random() < 0.3:
            params["_offset"] = rng.randint(0, 2000)
        return "rows page", "GET", f"{base}/rows/?{urlencode({k: v for k, v in params.items() if v != ''})}", None
    if roll < 0.85:
        query = {
            "group_by": [target.text_column],
            "measures": [{"fn": "count"}, {"fn": rng.choice(["avg", "max", "sum"]), "column": target.number_column}],
        }
        if rng.random() < 0.5:
            query["filters"] = [{"column": target.number_column, "op": "gte", "value": rng.randint(0, 50)}]
        return "aggregate query", "POST", f"{base}/query/", json.dumps(query).encode()
    return "job poll", "GET", f"/api/v1/jobs/{target.job_id}/", None


def static_request(path: str):
    def make(target: Target, rng: random.Random):
        return "static file", "GET", path, None

    return make


def run(
    base_urls: list[str], tokens: list[str], target: Target, *, clients: int, seconds: float, make=mixed_request
) -> Result:
    """`clients` threads for `seconds`, client i on base_urls[i % n] with tokens[i % len(tokens)]."""
    result, lock = Result(), threading.Lock()
    deadline = time.monotonic() + seconds

    def client(index: int) -> None:
        rng = random.Random(index)
        url = urlsplit(base_urls[index % len(base_urls)])
        headers = {"Authorization": f"Bearer {tokens[index % len(tokens)]}", "Content-Type": "application/json"}
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        while time.monotonic() < deadline:
            kind, method, path, body = make(target, rng)
            started = time.perf_counter()
            error = None
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status >= 400:
                    error = f"{kind}: HTTP {response.status}"
            except (OSError, http.client.HTTPException) as exc:
                error = f"{kind}: {type(exc).__name__}"
                connection.close()
                connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
            with lock:
                result.add(kind, time.perf_counter() - started, error)
        connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    result.seconds = time.monotonic() - started
    return result


def report(result: Result, baseline: Result) -> str:
    lines = [baseline.line("baseline: a static file"), result.line("Datamill: the mix")]
    for kind, values in sorted(result.by_kind.items()):
        lines.append(
            f"  {kind:<32} {len(values):8d} req     p50 {result.percentile(50, values):7.1f} ms   "
            f"p95 {result.percentile(95, values):7.1f} ms"
        )
    if result.errors:
        lines.append("  errors: " + ", ".join(f"{name} x{count}" for name, count in sorted(result.errors.items())))
    share = statistics.mean(result.latencies) if result.latencies else 0
    lines.append(f"  mean latency {share * 1000:.1f} ms")
    return "\n".join(lines)
