"""URL downloads: passing failures are retried with the backoff declared on the task; permanent ones fail at once."""

import http.server
import threading

import pytest

from apps.datasets import services, url_import
from apps.datasets.models import VersionStatus
from apps.datasets.tasks import ingest_version_task
from apps.datasets.url_import import DownloadInterrupted

CSV = b"city,temp\nOslo,3\nLima,19\n"


class FlakyServer:
    """Answers each path with a list of outcomes, one per request, then repeats the last one."""

    def __init__(self, plan):
        self.hits = []
        hits = self.hits

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outcomes = plan[self.path]
                outcome = outcomes[min(len(hits), len(outcomes) - 1)]
                hits.append(self.path)
                if outcome == "reset":
                    self.close_connection = True
                    self.connection.shutdown(2)  # no answer at all: the client sees the connection drop
                    return
                self.send_response(outcome)
                body = CSV if outcome == 200 else b"try later"
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()


@pytest.fixture
def allow_loopback(monkeypatch):
    original = url_import.check_address
    monkeypatch.setattr(url_import, "check_address", lambda a: None if a == "127.0.0.1" else original(a))


def import_url(url, owner, workspace, capture):
    with capture(execute=True):
        _, version, job = services.dataset_upload(workspace=workspace, created_by=owner, url=url)
    version.refresh_from_db()
    job.refresh_from_db()
    return version, job


def test_the_retry_policy_is_declared_on_the_task():
    assert DownloadInterrupted in ingest_version_task.autoretry_for
    assert ingest_version_task.retry_backoff and ingest_version_task.max_retries == 3


def test_passing_failures_are_retried_until_the_file_comes(allow_loopback, owner, workspace, eager,
                                                            django_capture_on_commit_callbacks):  # fmt: skip
    server = FlakyServer({"/cities.csv": [503, "reset", 200]})
    try:
        version, job = import_url(f"{server.url}/cities.csv", owner, workspace, django_capture_on_commit_callbacks)
    finally:
        server.close()
    assert server.hits == ["/cities.csv"] * 3
    assert job.status == "succeeded", job.error
    assert version.status == VersionStatus.READY and version.row_count == 2


def test_a_failure_that_does_not_pass_gives_up_after_the_last_retry(allow_loopback, owner, workspace, eager,
                                                                     django_capture_on_commit_callbacks):  # fmt: skip
    server = FlakyServer({"/cities.csv": [502]})
    try:
        version, job = import_url(f"{server.url}/cities.csv", owner, workspace, django_capture_on_commit_callbacks)
    finally:
        server.close()
    assert len(server.hits) == 4  # the first attempt and three retries
    assert job.status == "failed" and "answered 502" in job.error
    assert version.status == VersionStatus.FAILED and "answered 502" in version.error


@pytest.mark.parametrize("status", [404, 403, 410])
def test_permanent_failures_fail_at_once(status, allow_loopback, owner, workspace, eager,
                                         django_capture_on_commit_callbacks):  # fmt: skip
    server = FlakyServer({"/cities.csv": [status]})
    try:
        version, job = import_url(f"{server.url}/cities.csv", owner, workspace, django_capture_on_commit_callbacks)
    finally:
        server.close()
    assert server.hits == ["/cities.csv"]
    assert job.status == "failed" and f"answered {status}" in job.error
    assert version.status == VersionStatus.FAILED


def test_a_refused_address_fails_at_once_without_a_request(owner, workspace, eager, django_capture_on_commit_callbacks):
    version, job = import_url("http://127.0.0.1:9/cities.csv", owner, workspace, django_capture_on_commit_callbacks)
    assert job.status == "failed" and "not a public internet address" in job.error
    assert version.status == VersionStatus.FAILED
