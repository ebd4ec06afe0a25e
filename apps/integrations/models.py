"""Refresh schedules of URL-imported datasets, workspace webhooks and the log of their deliveries."""

import uuid

from django.conf import settings
from django.db import models


class RefreshStatus(models.TextChoices):
    NEVER = "", "Not run yet"
    CHANGED = "changed", "Changed: a new version"
    UNCHANGED = "unchanged", "Unchanged"
    FAILED = "failed", "Failed"


class Schedule(models.Model):
    """When a dataset is fetched again from its URL, and what the last fetch found.

    `etag`, `last_modified` and `content_hash` describe the file behind the current data, so the next run can
    ask conditionally and recognise an unchanged file; `pending_version` is the version a run created and
    whose ingest has not finished yet; `job` the latest refresh job, which the dataset page follows.
    """

    dataset = models.OneToOneField("datasets.Dataset", on_delete=models.CASCADE, related_name="schedule")
    url = models.URLField(max_length=1000)
    cron = models.CharField(max_length=120, help_text="Five-field crontab in TIME_ZONE.")
    paused = models.BooleanField(default=False)
    paused_reason = models.CharField(max_length=300, blank=True)
    next_run_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(
        max_length=10, choices=RefreshStatus.choices, default=RefreshStatus.NEVER, blank=True
    )
    last_error = models.TextField(blank=True)
    last_version = models.PositiveIntegerField(null=True, blank=True)
    pending_version = models.PositiveIntegerField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.dataset} every {self.cron}"


class WebhookEvent(models.TextChoices):
    VERSION_READY = "version.ready", "A version is ready"
    VERSION_FAILED = "version.failed", "A version failed"
    REFRESH_FAILED = "refresh.failed", "A scheduled refresh failed"


TEST_EVENT = "webhook.test"


class Webhook(models.Model):
    """An address outside Datamill told about events in one workspace, signed with its own secret."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=1000)
    events = models.JSONField(default=list, help_text="Event types this webhook receives.")
    secret = models.CharField(max_length=100, help_text="whsec_ and base64; signs every delivery.")
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.url


class Delivery(models.Model):
    """One attempt to deliver one event to one webhook. Retries are new rows with the same `message_id`
    (the `webhook-id` header, which stays the same so receivers can ignore duplicates)."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40)
    message_id = models.CharField(max_length=60)
    body = models.TextField(help_text="The JSON body, exactly as signed.")
    attempt = models.PositiveSmallIntegerField(default=1)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True, help_text="Unset while the attempt waits its turn.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["webhook", "-created_at"])]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"{self.event} to {self.webhook} (attempt {self.attempt})"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
