"""Background work that a person or script can follow: ingest, exports, refreshes."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from apps.live import jobs as live


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class Job(models.Model):
    """One run of a background task. Its id is also the Celery task id."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.FloatField(default=0.0)
    stage = models.CharField(max_length=120, blank=True)
    message = models.CharField(max_length=500, blank=True)
    error = models.TextField(blank=True)
    result = models.JSONField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    workspace = models.ForeignKey(
        "accounts.Workspace", null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_by", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.id} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)

    # Each transition is one UPDATE, so a worker never overwrites fields it did not mean to;
    # then it is published on the job's live channel (apps.live.jobs).
    def mark_running(self) -> None:
        self._update(status=JobStatus.RUNNING, started_at=timezone.now(), error="", finished_at=None)
        live.job_changed(self)

    def report(self, progress: float, stage: str = "", message: str = "") -> None:
        """Record progress (0..1) and what is happening now."""
        fields = {"progress": min(1.0, max(0.0, float(progress))), "message": message[:500]}
        if stage:
            fields["stage"] = stage[:120]
        self._update(**fields)
        live.job_changed(self)

    def mark_succeeded(self, result=None) -> None:
        self._update(status=JobStatus.SUCCEEDED, progress=1.0, stage="Done", result=result, finished_at=timezone.now())
        live.job_finished(self)

    def mark_failed(self, error: str) -> None:
        self._update(status=JobStatus.FAILED, error=error, finished_at=timezone.now())
        live.job_finished(self)

    def _update(self, **fields) -> None:
        Job.objects.filter(pk=self.pk).update(**fields)
        for name, value in fields.items():
            setattr(self, name, value)
