"""Writes for charts, dashboards, tiles and share links."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User, Workspace
from apps.audit.services import audit_record
from apps.core.slugs import unique_slug
from apps.dashboards.models import Chart, Dashboard, ShareLink, Tile
from apps.datasets.models import Dataset
from apps.datasets.selectors import aggregate, ready_version_of
from dataplane.engine import QueryError, normalize_aggregate


def check_query(dataset: Dataset, query: dict, version_number: int | None) -> dict:
    """The normalized query, after running it once on the version the chart will read: a query
    that does not fit that version's schema is refused, and the answer is cached for the first view."""
    version = ready_version_of(dataset, version_number)
    try:
        aggregate(version, query)
        return normalize_aggregate(query)
    except QueryError as error:
        raise ValidationError({"query": error.message}) from None


def chart_create(
    *,
    dataset: Dataset,
    title: str,
    chart_type: str,
    query: dict,
    options: dict | None = None,
    version_number: int | None = None,
    created_by: User | None,
) -> Chart:
    """A saved chart in the dataset's workspace, pinned to a version or following the latest."""
    return Chart.objects.create(
        workspace=dataset.workspace,
        dataset=dataset,
        title=title.strip() or "Untitled chart",
        chart_type=chart_type,
        query=check_query(dataset, query, version_number),
        options=options or {},
        version_number=version_number,
        created_by=created_by,
    )


def chart_update(*, chart: Chart, **fields) -> Chart:
    for name in ("title", "chart_type", "options", "version_number"):
        if name in fields:
            setattr(chart, name, fields[name])
    if "query" in fields or "version_number" in fields:
        chart.query = check_query(chart.dataset, fields.get("query", chart.query), chart.version_number)
    chart.save()
    return chart


def unique_dashboard_slug(workspace: Workspace, title: str, exclude_pk=None) -> str:
    others = Dashboard.objects.filter(workspace=workspace).exclude(pk=exclude_pk)
    return unique_slug(others, title, fallback="dashboard", max_length=70, reserved={"new"})


@transaction.atomic
def dashboard_create(
    *,
    workspace: Workspace,
    title: str,
    created_by: User | None,
    description: str = "",
    tiles: Iterable[dict] = (),
    filters: Iterable[dict] = (),
) -> Dashboard:
    """A dashboard with its tiles and dashboard-wide filters, in one transaction: a refused tile (a
    chart of another workspace, an empty note) raises ValidationError and leaves no dashboard behind.

    A tile spec is `{"chart": Chart | id | None, "text", "x", "y", "w", "h"}`, as for `dashboard_update`.
    """
    title = title.strip()
    if not title:
        raise ValidationError({"title": "A dashboard needs a title."})
    dashboard = Dashboard.objects.create(
        workspace=workspace,
        title=title,
        slug=unique_dashboard_slug(workspace, title),
        description=description,
        filters=list(filters),
        created_by=created_by,
    )
    tiles_replace(dashboard=dashboard, tiles=list(tiles))
    return dashboard


@transaction.atomic
def dashboard_update(*, dashboard: Dashboard, tiles: list[dict] | None = None, **fields) -> Dashboard:
    """Change title, description or filters; `tiles` replaces the whole layout when given."""
    if "title" in fields and fields["title"].strip() and fields["title"] != dashboard.title:
        dashboard.title = fields["title"].strip()
        dashboard.slug = unique_dashboard_slug(dashboard.workspace, dashboard.title, exclude_pk=dashboard.pk)
    for name in ("description", "filters"):
        if name in fields:
            setattr(dashboard, name, fields[name])
    dashboard.save()
    if tiles is not None:
        tiles_replace(dashboard=dashboard, tiles=tiles)
    return dashboard


def tiles_replace(*, dashboard: Dashboard, tiles: list[dict]) -> None:
    """Replace the dashboard's tiles, all checked before any is written."""
    charts = {c.pk: c for c in Chart.objects.filter(workspace=dashboard.workspace)}
    new_tiles = []
    for index, spec in enumerate(tiles):
        chart = spec.get("chart")
        chart_id = getattr(chart, "pk", chart)
        if chart_id is not None and chart_id not in charts:
            raise ValidationError({"tiles": f"Tile {index + 1}: the chart is not in this workspace."})
        if chart_id is None and not (spec.get("text") or "").strip():
            raise ValidationError({"tiles": f"Tile {index + 1}: a tile holds a chart or a text note."})
        new_tiles.append(
            Tile(
                dashboard=dashboard,
                chart=charts.get(chart_id),
                text=spec.get("text") or "",
                x=spec.get("x", 0),
                y=spec.get("y", 0),
                w=max(1, spec.get("w", 6)),
                h=max(1, spec.get("h", 4)),
            )
        )
    dashboard.tiles.all().delete()
    Tile.objects.bulk_create(new_tiles)


def share_link_create(*, dashboard: Dashboard, created_by: User | None) -> ShareLink:
    link = ShareLink.objects.create(dashboard=dashboard, created_by=created_by)
    audit_record(
        action="share_link.created", workspace=dashboard.workspace, target=dashboard, details={"link": link.pk}
    )
    return link


def share_link_revoke(*, link: ShareLink) -> None:
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        dashboard = link.dashboard
        audit_record(
            action="share_link.revoked", workspace=dashboard.workspace, target=dashboard, details={"link": link.pk}
        )
