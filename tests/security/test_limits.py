"""DESIGN.md: "Every limit holds as stated, whatever the query: memory (a query never grows any process past its
limit plus a small margin), time (answered within the limit plus one second) ...".

Statements built to defeat DuckDB's own limits (one huge string, a concatenation of big ones, a long single
call) are sent over HTTP to the live server, which runs in this process: each is answered with a 400 naming
the limit within the time limit + 1 s, and this process's memory (the web server's) does not grow meanwhile.
The same holds for an expression in the recipe preview's `derive` step, which anyone who may see a dataset
can send.
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import psutil
import pytest

from dataplane.engine import isolation

TIME_LIMIT = 2
MEMORY_LIMIT = "256MB"
RSS_MARGIN = 64 * 1024**2
HUGE = [
    "SELECT repeat('x', 1000000000) AS x",
    "SELECT length(repeat('x', 200000000) || repeat('y', 200000000) || repeat('z', 200000000)) AS n",
    "SELECT length(string_agg(repeat('x', 1000000), '')) AS n FROM range(2000)",
]
SLOW = "SELECT sum(a.range * b.range) AS s FROM range(1000000) a, range(1000000) b"
LIMIT_CODES = ("query_too_large", "query_timeout")


class PeakRss:
    """This process's resident memory, sampled every 10 ms while the block runs."""

    def __init__(self) -> None:
        self.process = psutil.Process()
        self.start = self.peak = self.process.memory_info().rss
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._done.wait(0.01):
            self.peak = max(self.peak, self.process.memory_info().rss)

    def __enter__(self) -> "PeakRss":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._done.set()
        self._thread.join()

    @property
    def growth(self) -> int:
        return self.peak - self.start


@pytest.fixture
def limits(settings):
    settings.SQL_MEMORY_LIMIT = MEMORY_LIMIT
    settings.SQL_TIME_LIMIT = TIME_LIMIT
    settings.QUERY_TIMEOUT = TIME_LIMIT
    settings.SQL_MAX_RUNNING_PER_USER = 3  # three at once from one account: the memory limit, not the cap, answers
    return settings


def warm(count: int) -> None:
    """Start from warm children, as a server that has been up a moment does (a start takes seconds here)."""
    assert isolation.pool(4, 2).wait_ready(count, 120)


def timed(send):
    started = time.monotonic()
    response = send()
    return response, time.monotonic() - started


def test_three_huge_statements_at_once_are_refused_in_time_without_growing_the_server(limits, bearer, owner):
    client = bearer(owner)
    client.post("/api/v1/sql/", json={"sql": "SELECT 1 AS warm_up"})  # the server's own first-request costs
    warm(3)
    with PeakRss() as rss, ThreadPoolExecutor(3) as threads:
        answers = list(threads.map(lambda sql: timed(lambda: client.post("/api/v1/sql/", json={"sql": sql})), HUGE))
    for (response, elapsed), sql in zip(answers, HUGE, strict=True):
        assert response.status_code == 400, (sql, response.text[:300])
        assert response.json()["error"]["code"] in LIMIT_CODES, sql
        assert elapsed <= TIME_LIMIT + 1, (sql, elapsed)
    assert rss.growth <= RSS_MARGIN, f"the server grew by {rss.growth / 2**20:.0f} MB"


def test_a_slow_statement_is_answered_query_timeout_within_the_limit_plus_a_second(limits, bearer, owner):
    client = bearer(owner)
    warm(1)
    response, elapsed = timed(lambda: client.post("/api/v1/sql/", json={"sql": SLOW}))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "query_timeout"
    assert elapsed <= TIME_LIMIT + 1


def test_a_statement_within_the_limits_still_answers(limits, bearer, owner, make_dataset, workspace):
    make_dataset(workspace)
    warm(1)
    response = bearer(owner).post(
        "/api/v1/sql/",
        json={"sql": "SELECT weather, count(*) AS n FROM acme.weather GROUP BY weather ORDER BY weather"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["rows"] == [
        {"weather": "fog", "n": 1},
        {"weather": "rain", "n": 2},
        {"weather": "sun", "n": 1},
    ]


@pytest.mark.parametrize(
    ("expression", "codes"),
    [
        ("length(repeat(station, 500000000))", LIMIT_CODES),
        ("length(repeat(station, 100000000) || repeat(weather, 100000000) || repeat(date, 100000000))", LIMIT_CODES),
    ],
)
def test_the_recipe_previews_derive_step_holds_the_same_limits(
    limits, bearer, owner, make_dataset, workspace, expression, codes
):
    dataset = make_dataset(workspace)
    client = bearer(owner)
    warm(1)
    steps = [{"op": "derive", "column": "big", "expression": expression}]
    with PeakRss() as rss:
        response, elapsed = timed(
            lambda: client.post(f"/api/v1/datasets/{dataset.pk}/recipe/preview/", json={"steps": steps})
        )
    assert response.status_code == 400, response.text[:300]
    assert response.json()["error"]["code"] in codes
    assert elapsed <= TIME_LIMIT + 1
    assert rss.growth <= RSS_MARGIN
