"""`GET /metrics`: Prometheus text format for operators.

Web-process figures (requests, latency, query-cache hits) are counted by `MetricsMiddleware`; with several
web processes, `PROMETHEUS_MULTIPROC_DIR` (set by `manage.py start`) lets every process write its own
figures to files that the scrape adds up. The apps' own figures (jobs, queue length, ingest speed) come from
the collectors named in `METRICS_COLLECTORS`, read at scrape time from the database and Redis, so they are
right whichever process ran the work.
"""

import hmac
import ipaddress
import os
import time

from django.conf import settings
from django.http import HttpResponse
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from apps.core.clients import request_client_address

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


def registry() -> CollectorRegistry:
    scrape = CollectorRegistry(auto_describe=True)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(scrape)
    else:
        for metric in (REQUESTS, LATENCY, QUERY_CACHE):
            scrape.register(metric)
    for path in settings.METRICS_COLLECTORS:
        scrape.register(import_string(path)())
    return scrape


def allowed(request) -> bool:
    """With METRICS_TOKEN set, that bearer token; otherwise loopback clients only."""
    if settings.METRICS_TOKEN:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(given.encode(), settings.METRICS_TOKEN.encode())
    try:
        return ipaddress.ip_address(request_client_address(request) or "").is_loopback
    except ValueError:
        return False


@never_cache
@require_GET
def metrics_view(request):
    """Prometheus text exposition of the figures above."""
    if not allowed(request):
        return HttpResponse("Not found.\n", status=404, content_type="text/plain")
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
