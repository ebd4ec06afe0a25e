"""Pages: the chart builder, dashboards, and dashboards opened through a share link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apps.core import permissions
from apps.dashboards import selectors, services
from apps.dashboards.islands import dashboard_props, explore_props
from apps.dashboards.models import Chart, Dashboard
from apps.datasets.selectors import dataset_for


def explore_view(request, workspace: str, dataset: str):
    """The chart builder for one dataset; `?chart=<id>` opens a saved chart."""
    dataset_obj = dataset_for(request.user, workspace__slug=workspace, slug=dataset)
    chart = None
    if chart_id := request.GET.get("chart"):
        # A mangled link opens an empty builder rather than an error.
        charts = Chart.objects.filter(dataset=dataset_obj).restrict(request.user)
        chart = permissions.first_or_none(charts, {"pk": chart_id})
    props = explore_props(user=request.user, dataset=dataset_obj, chart=chart)
    return render(request, "dashboards/explore.html", {"dataset": dataset_obj, "props": props})


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
