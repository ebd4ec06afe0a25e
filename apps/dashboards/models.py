"""Saved charts, dashboards of tiles, and share links."""

import secrets
import uuid

from django.conf import settings
from django.db import models

from apps.core.querysets import RestrictedQuerySet


class ChartType(models.TextChoices):
    BAR = "bar", "Bar"
    LINE = "line", "Line"
    AREA = "area", "Area"
    SCATTER = "scatter", "Scatter"
    PIE = "pie", "Pie"
    HISTOGRAM = "histogram", "Histogram"
    KPI = "kpi", "KPI number"
    TABLE = "table", "Table"


class Chart(models.Model):
    """An aggregate query over a dataset, and how to draw its answer."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="charts")
    dataset = models.ForeignKey("datasets.Dataset", on_delete=models.CASCADE, related_name="charts")
    title = models.CharField(max_length=200)
    chart_type = models.CharField(max_length=12, choices=ChartType.choices, default=ChartType.BAR)
    query = models.JSONField(help_text="The aggregate query body of POST /datasets/{id}/query/.")
    options = models.JSONField(default=dict, blank=True, help_text="Drawing options: x, series, stacking…")
    version_number = models.PositiveIntegerField(
        null=True, blank=True, help_text="A fixed version, or empty for the latest version."
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.title


class Dashboard(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="dashboards")
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    filters = models.JSONField(
        default=list, blank=True, help_text="Dashboard-wide filters: [{column, op, value}] applied to every tile."
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [models.UniqueConstraint(fields=["workspace", "slug"], name="dashboard_slug_per_workspace")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("dashboards:detail", args=[self.workspace.slug, self.slug])


class Tile(models.Model):
    """A place on a dashboard's grid: a saved chart or a text note."""

    dashboard = models.ForeignKey(Dashboard, on_delete=models.CASCADE, related_name="tiles")
    chart = models.ForeignKey(Chart, null=True, blank=True, on_delete=models.CASCADE, related_name="tiles")
    text = models.TextField(blank=True)
    x = models.PositiveSmallIntegerField(default=0)
    y = models.PositiveSmallIntegerField(default=0)
    w = models.PositiveSmallIntegerField(default=6)
    h = models.PositiveSmallIntegerField(default=4)

    class Meta:
        ordering = ["y", "x", "id"]

    def __str__(self) -> str:
        return f"{self.kind} tile on {self.dashboard}"

    @property
    def kind(self) -> str:
        return "chart" if self.chart_id else "text"


def new_share_token() -> str:
    return secrets.token_urlsafe(24)


class ShareLink(models.Model):
    """An unguessable link that shows one dashboard read-only to anyone who has it."""

    dashboard = models.ForeignKey(Dashboard, on_delete=models.CASCADE, related_name="share_links")
    token = models.CharField(max_length=64, unique=True, default=new_share_token)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"share link of {self.dashboard}"
