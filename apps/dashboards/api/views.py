"""Saved charts, dashboards and share links."""

import csv
import io
import json

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from apps.core import permissions
from apps.core.api import CSV_FORMULAS_PARAMETER, IgnoreFormatParameter, csv_formulas_of, writable_workspace
from apps.core.permissions import IsAuthenticated
from apps.dashboards import selectors, services
from apps.dashboards.api.serializers import (
    ChartDataSerializer,
    ChartSerializer,
    DashboardSerializer,
    ShareLinkSerializer,
    TileSerializer,
)
from apps.dashboards.models import Chart, Dashboard, ShareLink
from apps.datasets.selectors import dataset_for
from dataplane.engine import neutralised

DATA_PARAMETERS = [
    OpenApiParameter("filters", str, description='Extra filters as JSON: [{"column", "op", "value"}].'),
    OpenApiParameter("format", str, enum=["json", "csv"], description="csv downloads the data as a file."),
    CSV_FORMULAS_PARAMETER,
]


def filters_param(request) -> list[dict]:
    raw = request.query_params.get("filters")
    if not raw:
        return []
    try:
        filters = json.loads(raw)
    except ValueError:
        raise ValidationError({"filters": ["Not valid JSON."]}) from None
    if not isinstance(filters, list):
        raise ValidationError({"filters": ['A JSON list of {"column", "op", "value"}.']})
    return filters


def data_answer(request, chart: Chart, extra_filters: list[dict]):
    answer = selectors.chart_data(chart, extra_filters)
    if request.query_params.get("format") != "csv":
        return Response(answer)
    escape = csv_formulas_of(request.query_params.copy()) == "escape"

    def cell(value):
        return neutralised(value) if escape and isinstance(value, str) else value

    out = io.StringIO()
    names = [c["name"] for c in answer["columns"]]
    writer = csv.writer(out)
    writer.writerow([cell(name) for name in names])
    writer.writerows([cell(row.get(name)) for name in names] for row in answer["rows"])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(chart.title) or "chart"}.csv"'
    return response


class ChartViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Saved charts of your workspaces. `?dataset=<id>` lists one dataset's charts."""

    serializer_class = ChartSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        charts = Chart.objects.select_related("dataset__workspace").restrict(self.request.user)
        if dataset := self.request.query_params.get("dataset"):
            charts = charts.filter(dataset_id=dataset)
        return charts

    def get_object(self):
        return permissions.object_for(
            Chart.objects.select_related("dataset__workspace"),
            self.request.user,
            permissions.action_for(self.request),
            pk=self.kwargs["pk"],
        )

    def create(self, request):
        """Save a chart: a dataset, an aggregate query, drawing options, a pinned version or latest."""
        serializer = ChartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        dataset = dataset_for(request.user, permissions.CHANGE, pk=data["dataset"].pk)
        chart = services.chart_create(
            dataset=dataset,
            title=data["title"],
            chart_type=data["chart_type"],
            query=data["query"],
            options=data.get("options"),
            version_number=data.get("version_number"),
            created_by=request.user,
        )
        return Response(ChartSerializer(chart).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        """Change a chart's title, type, query, options or pinned version."""
        chart = self.get_object()
        serializer = ChartSerializer(chart, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if k != "dataset"}
        services.chart_update(chart=chart, **data)
        return Response(ChartSerializer(chart).data)

    @extend_schema(parameters=DATA_PARAMETERS, responses=ChartDataSerializer)
    @action(detail=True, methods=["get"], content_negotiation_class=IgnoreFormatParameter)
    def data(self, request, pk=None):
        """The chart's rows (cached per version and query), as JSON or `?format=csv`."""
        return data_answer(request, self.get_object(), filters_param(request))


class DashboardViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Dashboards of your workspaces: tiles (a chart or a text note on a 12-column grid) and
    dashboard-wide filters. PATCH with `tiles` replaces the layout."""

    serializer_class = DashboardSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        dashboards = Dashboard.objects.select_related("workspace").prefetch_related("tiles").restrict(self.request.user)
        if workspace := self.request.query_params.get("workspace"):
            dashboards = dashboards.filter(workspace__slug=workspace)
        return dashboards

    def get_object(self, action_name=None):
        action_name = action_name or permissions.action_for(self.request)
        return permissions.object_for(Dashboard.objects.all(), self.request.user, action_name, pk=self.kwargs["pk"])

    def create(self, request):
        """Create a dashboard, with its tiles and filters, in a workspace where you are editor or owner."""
        serializer = DashboardSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        dashboard = services.dashboard_create(
            workspace=writable_workspace(request.user, data["workspace"], what="dashboards"),
            title=data["title"],
            description=data.get("description", ""),
            tiles=self.tile_specs(data.get("tiles")) or (),
            filters=data.get("filters", ()),
            created_by=request.user,
        )
        return Response(DashboardSerializer(dashboard).data, status=status.HTTP_201_CREATED)

    @staticmethod
    def tile_specs(tiles):
        if tiles is None:
            return None
        return [{**tile, "chart": tile.pop("chart_id", None)} for tile in tiles]

    def partial_update(self, request, pk=None):
        """Change the title, description, filters, or the whole set of tiles and their layout."""
        dashboard = self.get_object()
        serializer = DashboardSerializer(dashboard, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("workspace", None)
        services.dashboard_update(dashboard=dashboard, tiles=self.tile_specs(data.pop("tiles", None)), **data)
        dashboard.refresh_from_db()
        return Response(DashboardSerializer(dashboard).data)

    @extend_schema(methods=["GET"], responses=ShareLinkSerializer(many=True))
    @extend_schema(methods=["POST"], request=None, responses={201: ShareLinkSerializer})
    @action(detail=True, methods=["get", "post"], url_path="share-links", pagination_class=None)
    def share_links(self, request, pk=None):
        """Share links of the dashboard (editors and owners); POST creates one."""
        dashboard = self.get_object(permissions.CHANGE)
        if request.method == "POST":
            link = services.share_link_create(dashboard=dashboard, created_by=request.user)
            return Response(ShareLinkSerializer(link, context={"request": request}).data, status=201)
        links = dashboard.share_links.filter(revoked_at__isnull=True)
        return Response(ShareLinkSerializer(links, many=True, context={"request": request}).data)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"share-links/(?P<link_id>\d+)")
    def revoke_share_link(self, request, pk=None, link_id=None):
        """Revoke a share link: it stops working at once."""
        dashboard = self.get_object(permissions.CHANGE)
        services.share_link_revoke(link=get_object_or_404(ShareLink, pk=link_id, dashboard=dashboard))
        return Response(status=status.HTTP_204_NO_CONTENT)


class SharedDashboardViewSet(viewsets.GenericViewSet):
    """A dashboard opened through its share link: read-only, and only its tiles' aggregates."""

    permission_classes = [AllowAny]
    authentication_classes = []
    lookup_field = "token"
    lookup_value_regex = r"[A-Za-z0-9_-]+"
    serializer_class = DashboardSerializer

    @extend_schema(responses=DashboardSerializer)
    def retrieve(self, request, token=None):
        """The shared dashboard with its tiles."""
        return Response(DashboardSerializer(selectors.shared_dashboard(token)).data)

    @extend_schema(parameters=DATA_PARAMETERS, responses=ChartDataSerializer)
    @action(
        detail=True,
        methods=["get"],
        url_path=r"tiles/(?P<tile_id>\d+)/data",
        content_negotiation_class=IgnoreFormatParameter,
    )
    def tile_data(self, request, token=None, tile_id=None):
        """One chart tile's data with the dashboard's saved filters. A visitor may set values only for the
        filters the dashboard declares (same column and operator); anything else is a 400."""
        dashboard = selectors.shared_dashboard(token)
        tile = get_object_or_404(dashboard.tiles.select_related("chart__dataset"), pk=tile_id, chart__isnull=False)
        visitor = selectors.visitor_filters(dashboard, filters_param(request))
        return data_answer(request, tile.chart, [*dashboard.filters, *visitor])


__all__ = ["ChartViewSet", "DashboardViewSet", "SharedDashboardViewSet", "TileSerializer"]
