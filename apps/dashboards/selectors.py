"""Reads for charts and dashboards, and the data behind a chart."""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from apps.dashboards.models import Chart, Dashboard, ShareLink, Tile
from apps.datasets.selectors import aggregate, ready_version_of


def charts_listed(user, **lookup) -> QuerySet[Chart]:
    """Saved charts the user may see (`dataset=` or `workspace=` narrows them), newest first, each with
    `dashboards_on`: the dashboards that show it."""
    on_dashboards = Prefetch(
        "tiles", queryset=Tile.objects.select_related("dashboard__workspace").order_by("dashboard__title")
    )
    return (
        Chart.objects.restrict(user)
        .filter(**lookup)
        .select_related("dataset__workspace")
        .prefetch_related(on_dashboards)
        .order_by("-updated_at")
    )


def dashboards_of(chart: Chart) -> list[Dashboard]:
    """The distinct dashboards among a chart's prefetched tiles, by title."""
    seen: dict = {}
    for tile in chart.tiles.all():
        seen.setdefault(tile.dashboard_id, tile.dashboard)
    return list(seen.values())


def chart_version(chart: Chart):
    """The version a chart reads: its pinned one, or the dataset's current version."""
    return ready_version_of(chart.dataset, chart.version_number)


def has_value(dashboard_filter: dict) -> bool:
    """Whether a dashboard filter is set: one declared without a value (offered to fill in) filters nothing."""
    return dashboard_filter.get("value") not in (None, "", [])


def applicable_filters(filters: list[dict], columns: list[dict]) -> list[dict]:
    """Dashboard filters that apply to a dataset: those set to a value, on a column it has."""
    names = {c["name"] for c in columns}
    return [f for f in filters or [] if isinstance(f, dict) and f.get("column") in names and has_value(f)]


def chart_data(chart: Chart, extra_filters: list[dict] | None = None) -> dict:
    """The chart's answer, with dashboard-wide filters added where the dataset has the column."""
    version = chart_version(chart)
    query = dict(chart.query)
    added = applicable_filters(extra_filters or [], version.columns)
    if added:
        query["filters"] = [*query.get("filters", []), *added]
    answer, cached = aggregate(version, query)
    return {**answer, "version": version.number, "cached": cached, "filters_applied": added}


def shared_dashboard(token: str) -> Dashboard:
    link = ShareLink.objects.select_related("dashboard__workspace").filter(token=token, revoked_at__isnull=True).first()
    if link is None:
        raise Http404("This share link does not exist or was revoked.")
    return link.dashboard


def visitor_filters(dashboard: Dashboard, filters: list[dict]) -> list[dict]:
    """The filters a share link's visitor asked for, if each sets a value for a filter the dashboard itself
    declares (same column, same operator); they only ever narrow the saved filters, which still apply.
    Anything else could probe rows that no tile shows (counting salaries above a threshold), so it is refused."""
    declared = {(f.get("column"), f.get("op", "exact")) for f in dashboard.filters or [] if isinstance(f, dict)}
    for index, wanted in enumerate(filters):
        if not isinstance(wanted, dict) or "column" not in wanted:
            raise ValidationError({"filters": f'Filter {index + 1} must be {{"column", "op", "value"}}.'})
        pair = (wanted["column"], wanted.get("op", "exact"))
        if pair not in declared:
            offered = ", ".join(f"{column} {op}" for column, op in sorted(declared, key=str)) or "none"
            raise ValidationError(
                {
                    "filters": f"A shared dashboard only takes values for its own filters ({offered}); "
                    f"“{pair[0]} {pair[1]}” is not one of them."
                }
            )
    return filters
