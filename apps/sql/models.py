"""Saved queries, the history of what each person ran, and derived datasets made from queries."""

import uuid

from django.conf import settings
from django.db import models

from apps.core.querysets import RestrictedQuerySet


class SavedQuery(models.Model):
    """A titled SQL statement saved in a workspace, opened by its URL in the SQL editor."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="saved_queries")
    title = models.CharField(max_length=200)
    sql = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name_plural = "saved queries"

    def __str__(self) -> str:
        return self.title


class QueryRun(models.Model):
    """One statement a person ran (or tried to): their query history."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="query_runs")
    workspace = models.ForeignKey(
        "accounts.Workspace", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sql = models.TextField()
    status = models.CharField(
        max_length=10, choices=[("ok", "Answered"), ("error", "Refused or failed"), ("queued", "Running as a job")]
    )
    error_code = models.CharField(max_length=40, blank=True)
    row_count = models.BigIntegerField(null=True, blank=True)
    elapsed_ms = models.FloatField(null=True, blank=True)
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.user} ran {self.sql[:60]!r} ({self.status})"


class DerivedDataset(models.Model):
    """A dataset whose versions are a saved query's results, rebuilt when any input gets a new version."""

    dataset = models.OneToOneField("datasets.Dataset", on_delete=models.CASCADE, related_name="derivation")
    query = models.ForeignKey(SavedQuery, null=True, blank=True, on_delete=models.SET_NULL, related_name="derived")
    sql = models.TextField(help_text="The statement each rebuild runs (the query's SQL when last materialized).")
    inputs = models.ManyToManyField("datasets.Dataset", related_name="derived_inputs", blank=True)
    run_as = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Whose read access rebuilds use: the person who last materialized it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.dataset} from SQL"


class DerivedVersion(models.Model):
    """What one version of a derived dataset was computed from: its SQL and each input's version."""

    version = models.OneToOneField("datasets.Version", on_delete=models.CASCADE, related_name="derived_from")
    derived = models.ForeignKey(DerivedDataset, on_delete=models.CASCADE, related_name="versions")
    sql = models.TextField()
    inputs = models.JSONField(default=list, help_text="[{dataset, workspace, slug, title, version}]")

    def __str__(self) -> str:
        return f"{self.version} from SQL"
