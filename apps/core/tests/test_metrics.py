"""/metrics: Prometheus text with requests, jobs, queue, ingest speed and cache hits; closed to strangers."""

from datetime import timedelta

from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from apps.jobs.models import Job, JobStatus


def samples(text: str) -> dict:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def scrape(client, **headers) -> dict:
    response = client.get("/metrics", **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return samples(response.content.decode())


def test_counts_requests_by_view_and_status(client, db):
    client.get("/healthz")
    client.get("/healthz")
    client.get("/api/v1/no-such-thing/")
    before = scrape(client)
    client.get("/healthz")
    after = scrape(client)
    key = ("datamill_http_requests_total", (("method", "GET"), ("status", "200"), ("view", "healthz")))
    assert after[key] - before[key] == 1
    assert after[("datamill_http_request_duration_seconds_count", (("view", "healthz"),))] >= 3


def test_jobs_by_kind_and_status_with_durations(client, db):
    now = timezone.now()
    Job.objects.create(kind="ingest", status=JobStatus.QUEUED)
    Job.objects.create(
        kind="ingest", status=JobStatus.SUCCEEDED, started_at=now - timedelta(seconds=4), finished_at=now
    )
    Job.objects.create(kind="export", status=JobStatus.FAILED, started_at=now - timedelta(seconds=1), finished_at=now)
    found = scrape(client)
    assert found[("datamill_jobs", (("kind", "ingest"), ("status", "queued")))] == 1
    assert found[("datamill_jobs", (("kind", "ingest"), ("status", "succeeded")))] == 1
    assert found[("datamill_job_duration_seconds_total", (("kind", "ingest"),))] == 4
    assert found[("datamill_jobs_finished_total", (("kind", "export"),))] == 1
    assert found[("datamill_queue_length", ())] >= 0


def test_ingest_rows_per_second(client, make_dataset, workspace):
    dataset = make_dataset(workspace)
    now = timezone.now()
    job = Job.objects.create(
        kind="ingest", status=JobStatus.SUCCEEDED, started_at=now - timedelta(seconds=2), finished_at=now
    )
    dataset.current_version.job = job
    dataset.current_version.save(update_fields=["job"])
    assert scrape(client)[("datamill_ingest_rows_per_second", ())] == 2.0  # 4 rows in 2 s


def test_query_cache_hits_and_misses(client, token_client, owner, make_dataset, workspace):
    dataset = make_dataset(workspace)
    api = token_client(owner)
    body = {"group_by": ["weather"], "measures": [{"fn": "count"}]}
    before = scrape(client)
    assert api.post(f"/api/v1/datasets/{dataset.pk}/query/", body, format="json")["X-Cache"] == "miss"
    assert api.post(f"/api/v1/datasets/{dataset.pk}/query/", body, format="json")["X-Cache"] == "hit"
    after = scrape(client)
    for result in ("hit", "miss"):
        key = ("datamill_query_cache_total", (("result", result),))
        assert after[key] - before.get(key, 0) == 1


def test_closed_to_other_addresses_without_a_token(client, db):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404


def test_needs_the_token_when_one_is_set(client, db, settings):
    settings.METRICS_TOKEN = "s3cret-metrics"
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    ok = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-metrics", REMOTE_ADDR="203.0.113.9")
    assert ok.status_code == 200
    assert b"datamill_jobs" in ok.content
