"""Pages: the chart builder, dashboards, and dashboards opened through a share link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from apps.core import permissions
from apps.dashboards import selectors, services
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


def explore_view(request, workspace: str, dataset: str):
    """The chart builder for one dataset; `?chart=<id>` opens a saved chart."""
    dataset_obj = permissions.dataset_for(request.user, workspace__slug=workspace, slug=dataset)
    chart = None
    if chart_id := request.GET.get("chart"):
        # A mangled link opens an empty builder rather than an error.
        charts = permissions.restrict(Chart.objects.filter(dataset=dataset_obj), request.user)
        chart = permissions.first_or_none(charts, {"pk": chart_id})
    props = explore_props(user=request.user, dataset=dataset_obj, chart=chart)
    return render(request, "dashboards/explore.html", {"dataset": dataset_obj, "props": props})


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


def dashboard_view(request, workspace: str, slug: str):
    """A dashboard: editors rearrange and resize tiles; viewers see it read-only."""
    dashboard = permissions.object_for(
        Dashboard.objects.prefetch_related("tiles"), request.user, workspace__slug=workspace, slug=slug
    )
    can_edit = permissions.can(request.user, permissions.CHANGE, dashboard.workspace)
    return render(
        request,
        "dashboards/dashboard.html",
        {
            "dashboard": dashboard,
            "tiles": dashboard.tiles.select_related("chart"),
            "props": dashboard_props(dashboard=dashboard, can_edit=can_edit),
            "can_edit": can_edit,
        },
    )


@login_required
@require_POST
def dashboard_new_view(request, workspace: str):
    workspace_obj = permissions.workspace_for(request.user, workspace, permissions.CHANGE)
    try:
        dashboard = services.dashboard_create(
            workspace=workspace_obj, title=request.POST.get("title", ""), created_by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("workspace", workspace=workspace_obj.slug)
    return redirect(dashboard.get_absolute_url())


def shared_dashboard_view(request, token: str):
    """A dashboard through its share link: read-only, for anyone holding the link."""
    dashboard = selectors.shared_dashboard(token)
    response = render(
        request,
        "dashboards/dashboard.html",
        {
            "dashboard": dashboard,
            "tiles": dashboard.tiles.select_related("chart"),
            "props": dashboard_props(dashboard=dashboard, can_edit=False, share_token=token),
            "can_edit": False,
            "shared": True,
        },
    )
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response
