"""engine/isolation.py: user-written work in child processes, each capped in memory and killed at its deadline.

No database: the module is Django-free, and so are these tests. A child takes about a second to start on an
idle machine (imports), several on a busy one, so each test first waits for a warm pool.
"""

import threading
import time

import psutil
import pytest

from dataplane.engine import isolation
from dataplane.engine.errors import QueryError

TARGETS = "dataplane.tests.isolation_targets"


def run(function: str, timeout_s: float = 5, memory_limit: str = "128MB", **options):
    return isolation.run(f"{TARGETS}:{function}", memory_limit=memory_limit, timeout_s=timeout_s, **options)


@pytest.fixture
def pool():
    processes = isolation.pool(4, 2)
    assert processes.wait_ready(2, 120)
    return processes


def test_a_child_answers_plain_values_and_serves_the_next_request_too(pool):
    first = run("pid", kwargs={})
    second = run("pid", kwargs={})
    assert isinstance(first, int) and first == second  # the same warm child, not a start per request


def test_a_crashed_child_answers_query_too_large_and_is_replaced(pool):
    before = run("pid", kwargs={})
    with pytest.raises(QueryError) as caught:
        run("crash", kwargs={})
    assert caught.value.code == "query_too_large"
    assert pool.wait_ready(2, 120)
    assert not psutil.pid_exists(before)  # the crashed child (the last one idle, so the one taken) is reaped
    assert run("pid", kwargs={}) != before


def test_an_allocation_past_the_memory_limit_is_query_too_large_and_the_parent_stays_small(pool):
    assert run("allocate", kwargs={"megabytes": 64}, memory_limit="256MB") == 64 * 1024**2
    with pytest.raises(QueryError) as caught:
        run("allocate", kwargs={"megabytes": 1024}, memory_limit="256MB")
    assert caught.value.code == "query_too_large"


def test_a_child_past_its_deadline_is_killed_and_answers_query_timeout_in_time(pool):
    started = time.monotonic()
    with pytest.raises(QueryError) as caught:
        run("pid_after", kwargs={"seconds": 30}, timeout_s=1)
    assert caught.value.code == "query_timeout"
    assert time.monotonic() - started < 1 + isolation.GRACE_S + 0.5


def test_concurrent_calls_each_get_a_child_of_their_own(pool):
    assert pool.wait_ready(3, 120)
    answers, started = [], time.monotonic()
    threads = [
        threading.Thread(target=lambda: answers.append(run("pid_after", kwargs={"seconds": 1}))) for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(answers)) == 3
    assert time.monotonic() - started < 2.5  # side by side, not one after another


def test_callers_past_the_pools_size_wait_within_their_own_deadline():
    small = isolation.ChildPool(1, 1)
    try:
        assert small.wait_ready(1, 120)
        child = small.acquire(time.monotonic() + 1)
        assert child is not None
        started = time.monotonic()
        assert small.acquire(time.monotonic() + 0.5) is None  # the one child is taken: nothing within 0.5 s
        assert 0.4 < time.monotonic() - started < 2
        small.release(child, healthy=True)
        assert small.acquire(time.monotonic() + 1) is child
    finally:
        small.close()


def test_an_answer_larger_than_allowed_never_reaches_the_parent(pool):
    with pytest.raises(QueryError) as caught:
        run("text", kwargs={"megabytes": 8}, answer_max_bytes=1024**2)
    assert caught.value.code == "query_too_large"


def test_progress_comes_back_and_cancel_kills(pool):
    seen = []
    assert run("report", kwargs={}, on_progress=seen.append) == "done"
    assert seen == [0.0, 0.5, 1.0]
    started = time.monotonic()
    with pytest.raises(QueryError) as caught:
        run("pid_after", kwargs={"seconds": 30}, timeout_s=20, should_stop=lambda: time.monotonic() - started > 0.5)
    assert caught.value.code == "query_cancelled"
    assert time.monotonic() - started < 2


def test_a_refusal_in_the_child_comes_back_as_it_was(pool):
    with pytest.raises(QueryError) as caught:
        run("refuse", kwargs={})
    assert (caught.value.code, caught.value.message, caught.value.details) == (
        "invalid_step",
        "Step 1 (derive): not this.",
        {"step": 1},
    )


@pytest.mark.parametrize("target", ["os:system", "dataplanes.x:system", "apps.sql.services:system"])
def test_only_our_own_code_runs_in_a_child(target):
    with pytest.raises(ValueError, match="not our code"):
        isolation.run(target, kwargs={"command": "true"}, memory_limit="64MB", timeout_s=1)
