"""Liveness and readiness probes for process managers and load balancers."""

import time

import redis
from celery.exceptions import TimeoutError as CeleryTimeout
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.core.tasks import ping


@never_cache
@require_GET
def healthz(request):
    """The process is up and answering."""
    return JsonResponse({"status": "ok"})


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_redis() -> str:
    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    finally:
        client.close()
    return "ok"


def check_worker() -> str:
    result = ping.apply_async(expires=settings.READYZ_WORKER_TIMEOUT)
    try:
        answer = result.get(timeout=settings.READYZ_WORKER_TIMEOUT)
    except CeleryTimeout:
        raise RuntimeError(f"no Celery worker answered within {settings.READYZ_WORKER_TIMEOUT} s") from None
    finally:
        result.forget()
    if answer != "pong":
        raise RuntimeError(f"unexpected answer {answer!r}")
    return "ok"


@never_cache
@require_GET
def readyz(request):
    """Ready to serve: the database, Redis and a Celery worker all answer."""
    checks, ready = {}, True
    for name, check in (("database", check_database), ("redis", check_redis), ("worker", check_worker)):
        started = time.monotonic()
        try:
            status = check()
        except Exception as exc:  # a probe reports every failure rather than raising
            status, ready = f"failing: {exc}", False
        checks[name] = {"status": status, "ms": round((time.monotonic() - started) * 1000, 1)}
        if name == "redis" and not ready:
            checks["worker"] = {"status": "failing: Redis is down", "ms": 0}
            break
    return JsonResponse({"status": "ok" if ready else "failing", "checks": checks}, status=200 if ready else 503)
