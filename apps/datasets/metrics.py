"""Ingest speed for /metrics: rows per second of ingest job time, read from the database at scrape time."""

from datetime import timedelta

from django.db.models import Sum
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

from apps.datasets.models import Version
from apps.jobs.metrics import RUN_TIME, finished_jobs, seconds
from apps.jobs.models import JobStatus

# Recent enough to show a regression, long enough to be stable.
WINDOW = timedelta(hours=24)


class IngestCollector:
    def collect(self):
        recent = finished_jobs().filter(
            kind="ingest", status=JobStatus.SUCCEEDED, finished_at__gte=timezone.now() - WINDOW
        )
        spent = seconds(recent.aggregate(total=Sum(RUN_TIME))["total"])
        rows = Version.objects.filter(job__in=recent).aggregate(rows=Sum("row_count"))["rows"] or 0
        yield GaugeMetricFamily(
            "datamill_ingest_rows_per_second",
            "Rows ingested per second of ingest job time over the last 24 hours.",
            value=rows / spent if spent else 0.0,
        )
