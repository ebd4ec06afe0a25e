"""Props of the dashboards' islands, mirroring frontend/islands/{chart-builder,dashboard}/props.ts."""

from django.urls import reverse

from apps.core import permissions
from apps.dashboards.api.serializers import ChartSerializer, DashboardSerializer
from apps.dashboards.models import Chart, Dashboard
from apps.datasets.models import VersionStatus


def explore_props(*, user, dataset, chart: Chart | None) -> dict:
    """Props of the chart-builder island (frontend/islands/chart-builder)."""
    version = dataset.current_version
    columns = []
    for column in version.columns if version else []:
        profile = version.profile.get(column["name"], {})
        columns.append(
            {
                "name": column["name"],
                "type": column["type"],
                "distinct": profile.get("distinct"),
                "nulls": profile.get("nulls"),
                "min": profile.get("min"),
                "max": profile.get("max"),
            }
        )
    can_save = permissions.can(user, permissions.CHANGE, dataset.workspace)
    return {
        "dataset": {"id": str(dataset.pk), "title": dataset.title, "pageUrl": dataset.get_absolute_url()},
        "columns": columns,
        "queryUrl": reverse("api:dataset-query", args=[dataset.pk]),
        "chartsUrl": reverse("api:chart-list"),
        "dashboardsUrl": reverse("api:dashboard-list") + f"?workspace={dataset.workspace.slug}",
        "workspace": dataset.workspace.slug,
        "versions": list(
            dataset.versions.filter(status=VersionStatus.READY).order_by("-number").values_list("number", flat=True)
        ),
        "currentVersion": version.number if version else None,
        "canSave": can_save,
        "chart": ChartSerializer(chart).data if chart else None,
    }


def chart_summaries(charts) -> dict:
    return {
        str(c.pk): {
            "id": str(c.pk),
            "title": c.title,
            "chart_type": c.chart_type,
            "options": c.options,
            "query": c.query,
            "dataset_title": c.dataset.title,
            "version_number": c.version_number,
        }
        for c in charts
    }


def dashboard_props(*, dashboard: Dashboard, can_edit: bool, share_token: str = "") -> dict:
    """Props of the dashboard island (frontend/islands/dashboard)."""
    if share_token:
        charts = Chart.objects.filter(tiles__dashboard=dashboard).select_related("dataset").distinct()
        data_url = reverse("api:shared-dashboard-tile-data", args=[share_token, 0]).replace("/0/", "/{tile}/")
    else:
        charts = Chart.objects.filter(workspace=dashboard.workspace).select_related("dataset")
        data_url = reverse("api:chart-data", args=["00000000-0000-0000-0000-000000000000"]).replace(
            "00000000-0000-0000-0000-000000000000", "{chart}"
        )
    return {
        "dashboard": DashboardSerializer(dashboard).data,
        "apiUrl": "" if share_token else reverse("api:dashboard-detail", args=[dashboard.pk]),
        "shareLinksUrl": "" if share_token else reverse("api:dashboard-share-links", args=[dashboard.pk]),
        "charts": chart_summaries(charts),
        "canEdit": can_edit,
        "shared": bool(share_token),
        "tileDataUrl": data_url,
    }
