"""`GET /metrics`: Prometheus text format for operators.

Web-process figures (requests, latency, query-cache hits) are counted by `MetricsMiddleware`; with several
web processes, `PROMETHEUS_MULTIPROC_DIR` (set by `manage.py start`) lets every process write its own
figures to files that the scrape adds up. Jobs, queue length and ingest speed are read at scrape time from
the database and Redis, so they are right whichever process ran the work.
"""

import hmac
import ipaddress
import os
import time
from datetime import timedelta

import redis
from django.conf import settings
from django.db.models import Count, DurationField, ExpressionWrapper, F, Sum
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

REQUESTS = Counter(
    "datamill_http_requests_total", "HTTP requests answered, by view, method and status.", ["view", "method", "status"]
)
LATENCY = Histogram(
    "datamill_http_request_duration_seconds",
    "Time to answer an HTTP request, by view.",
    ["view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
QUERY_CACHE = Counter("datamill_query_cache_total", "Aggregate queries answered, by cache result.", ["result"])

# How far back ingest speed is measured: recent enough to show a regression, long enough to be stable.
INGEST_WINDOW = timedelta(hours=24)


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name or match._func_path) if match else "unmatched"
        REQUESTS.labels(view, request.method, str(response.status_code)).inc()
        LATENCY.labels(view).observe(time.perf_counter() - started)
        if response.has_header("X-Cache"):
            QUERY_CACHE.labels(response["X-Cache"]).inc()
        return response


class StateCollector:
    """Figures read from the shared database and Redis when Prometheus scrapes."""

    def collect(self):
        from apps.jobs.models import Job, JobStatus

        jobs = GaugeMetricFamily("datamill_jobs", "Jobs by kind and status.", labels=["kind", "status"])
        for row in Job.objects.values("kind", "status").annotate(n=Count("id")).order_by():
            jobs.add_metric([row["kind"], row["status"]], row["n"])
        yield jobs

        duration = ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())
        finished = Job.objects.filter(
            status__in=[JobStatus.SUCCEEDED, JobStatus.FAILED], started_at__isnull=False, finished_at__isnull=False
        )
        seconds = CounterMetricFamily(
            "datamill_job_duration_seconds", "Time finished jobs ran, by kind.", labels=["kind"]
        )
        for row in finished.values("kind").annotate(total=Sum(duration), n=Count("id")).order_by():
            seconds.add_metric([row["kind"]], _seconds(row["total"]))
        yield seconds
        finished_count = CounterMetricFamily("datamill_jobs_finished", "Finished jobs, by kind.", labels=["kind"])
        for row in finished.values("kind").annotate(n=Count("id")).order_by():
            finished_count.add_metric([row["kind"]], row["n"])
        yield finished_count

        yield GaugeMetricFamily(
            "datamill_ingest_rows_per_second",
            f"Rows ingested per second of ingest job time over the last {INGEST_WINDOW.total_seconds() / 3600:.0f} h.",
            value=self._ingest_speed(finished.filter(kind="ingest", status=JobStatus.SUCCEEDED), duration),
        )
        yield GaugeMetricFamily("datamill_queue_length", "Tasks waiting in the Celery queue.", value=_queue_length())

    def _ingest_speed(self, ingests, duration) -> float:
        from apps.datasets.models import Version

        recent = ingests.filter(finished_at__gte=timezone.now() - INGEST_WINDOW)
        spent = _seconds(recent.aggregate(total=Sum(duration))["total"])
        rows = Version.objects.filter(job__in=recent).aggregate(rows=Sum("row_count"))["rows"] or 0
        return rows / spent if spent else 0.0


def _seconds(value) -> float:
    return value.total_seconds() if value else 0.0


def _queue_length() -> float:
    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    try:
        return float(client.llen("celery"))
    except redis.exceptions.RedisError:
        return float("nan")
    finally:
        client.close()


def registry() -> CollectorRegistry:
    scrape = CollectorRegistry(auto_describe=True)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(scrape)
    else:
        for metric in (REQUESTS, LATENCY, QUERY_CACHE):
            scrape.register(metric)
    scrape.register(StateCollector())
    return scrape


def allowed(request) -> bool:
    """With METRICS_TOKEN set, that bearer token; otherwise loopback clients only."""
    if settings.METRICS_TOKEN:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(given.encode(), settings.METRICS_TOKEN.encode())
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


@never_cache
@require_GET
def metrics_view(request):
    """Prometheus text exposition of the figures above."""
    if not allowed(request):
        return HttpResponse("Not found.\n", status=404, content_type="text/plain")
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
