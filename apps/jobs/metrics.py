"""Job figures for /metrics, read from the shared database and Redis when Prometheus scrapes."""

import redis
from django.conf import settings
from django.db.models import Count, DurationField, ExpressionWrapper, F, Sum
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from apps.jobs.models import Job, JobStatus

RUN_TIME = ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())


def finished_jobs():
    return Job.objects.filter(
        status__in=[JobStatus.SUCCEEDED, JobStatus.FAILED], started_at__isnull=False, finished_at__isnull=False
    )


def seconds(value) -> float:
    return value.total_seconds() if value else 0.0


class JobsCollector:
    def collect(self):
        jobs = GaugeMetricFamily("datamill_jobs", "Jobs by kind and status.", labels=["kind", "status"])
        for row in Job.objects.values("kind", "status").annotate(n=Count("id")).order_by():
            jobs.add_metric([row["kind"], row["status"]], row["n"])
        yield jobs
        spent = CounterMetricFamily(
            "datamill_job_duration_seconds", "Time finished jobs ran, by kind.", labels=["kind"]
        )
        done = CounterMetricFamily("datamill_jobs_finished", "Finished jobs, by kind.", labels=["kind"])
        for row in finished_jobs().values("kind").annotate(total=Sum(RUN_TIME), n=Count("id")).order_by():
            spent.add_metric([row["kind"]], seconds(row["total"]))
            done.add_metric([row["kind"]], row["n"])
        yield spent
        yield done
        yield GaugeMetricFamily("datamill_queue_length", "Tasks waiting in the Celery queue.", value=queue_length())


def queue_length() -> float:
    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    try:
        return float(client.llen("celery"))
    except redis.exceptions.RedisError:
        return float("nan")
    finally:
        client.close()
