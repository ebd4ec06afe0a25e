"""The SQL API: run a statement (now or as a job), read and export a job's result, saved queries, history."""

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core import permissions
from apps.core.api import CSV_FORMULAS_PARAMETER, IgnoreFormatParameter, csv_formulas_of, writable_workspace
from apps.datasets.api.serializers import DatasetSerializer, VersionSerializer
from apps.datasets.api.views import EXPORT_FORMATS
from apps.jobs.api import JobSerializer
from apps.sql import selectors, services
from apps.sql.api.serializers import (
    MaterializeAnswerSerializer,
    QueryRunSerializer,
    ResultRowsSerializer,
    SavedQueryCreateSerializer,
    SavedQuerySerializer,
    SavedQueryUpdateSerializer,
    SqlAnswerSerializer,
    SqlJobAnswerSerializer,
    SqlRequestSerializer,
)
from dataplane.engine import export_stream, rows_query


class LoggedIn(permissions.TokenScopePermission):
    """Reading with SQL needs an account; a read token may run statements (they only read)."""

    def has_permission(self, request, view) -> bool:
        if not request.user.is_authenticated:
            self.message = "Authentication credentials were not provided."
            return False
        return True


def workspace_param(user, slug: str | None):
    if not slug:
        return None
    workspace = permissions.workspaces_for(user).filter(slug=slug).first()
    if workspace is None:
        raise ValidationError({"workspace": [f"You are not a member of a workspace “{slug}”."]})
    return workspace


class SqlView(APIView):
    """Run one read-only SQL statement over the datasets you may read."""

    permission_classes = [LoggedIn]

    @extend_schema(
        request=SqlRequestSerializer,
        responses={200: SqlAnswerSerializer, 202: SqlJobAnswerSerializer},
        description=(
            'Tables are `"<workspace>"."<dataset>"` (current version) or `"<workspace>"."<dataset>@<n>"` '
            "(version n); with `workspace`, unqualified names resolve there. Synchronous runs stop after "
            "SQL_TIME_LIMIT seconds; with `async: true` the answer is 202 with a job whose `result` is "
            "`{columns, row_count, rows_url}`. Refusals are 400s with codes sql_syntax, sql_not_allowed, "
            "sql_unknown_table, query_timeout, query_too_large (and query_failed for what DuckDB cannot "
            "compute); `details` holds `line` and `column` of the part refused when known. Answers are "
            "cached per (statement, input versions); `X-Cache` says hit or miss."
        ),
    )
    def post(self, request):
        """Run a statement now (200 with rows) or as a job (202)."""
        serializer = SqlRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        workspace = workspace_param(request.user, data.get("workspace"))
        if data["run_async"]:
            job = services.sql_start(sql=data["sql"], user=request.user, workspace=workspace)
            return Response({"job": JobSerializer(job).data}, status=status.HTTP_202_ACCEPTED)
        answer, cached = services.sql_run(sql=data["sql"], user=request.user, workspace=workspace, limit=data["limit"])
        return Response(answer, headers={"X-Cache": "hit" if cached else "miss"})


RESULT_PARAMETERS = [
    OpenApiParameter("_size", int, description="Rows per page (default 100, max 1000)."),
    OpenApiParameter("_offset", int, description="Skip this many rows first."),
    OpenApiParameter("_sort", str, description="As in the rows API: `a,-b`."),
]


class SqlResultRowsView(APIView):
    """Rows of an async statement's result (yours only), kept for a day."""

    permission_classes = [LoggedIn]
    content_negotiation_class = IgnoreFormatParameter

    @extend_schema(parameters=RESULT_PARAMETERS, responses=ResultRowsSerializer)
    def get(self, request, job_id):
        """A page of the result: `_size` and `_offset` (plus the rows API's `_sort` and filters)."""
        job, path = selectors.sql_result(request.user, job_id)
        answer = rows_query(path, job.result["columns"], request.query_params)
        return Response({"columns": answer["columns"], "rows": answer["rows"], "total": answer["total"]})


class SqlResultExportView(APIView):
    """An async statement's whole result as a file."""

    permission_classes = [LoggedIn]
    content_negotiation_class = IgnoreFormatParameter

    @extend_schema(
        parameters=[
            OpenApiParameter("format", str, enum=EXPORT_FORMATS, description="Default csv."),
            CSV_FORMULAS_PARAMETER,
        ],
        responses={(200, "text/csv"): OpenApiTypes.BINARY},
    )
    def get(self, request, job_id):
        """The result as csv, json, ndjson or parquet, streamed."""
        job, path = selectors.sql_result(request.user, job_id)
        fmt = request.query_params.get("format", "csv")
        if fmt not in EXPORT_FORMATS:
            raise ValidationError({"format": [f"Use one of {', '.join(EXPORT_FORMATS)}."]})
        params = request.query_params.copy()
        params.pop("format", None)
        csv_formulas = csv_formulas_of(params)
        content_type, extension, chunks = export_stream(
            path, job.result["columns"], params, fmt, csv_formulas=csv_formulas
        )
        response = StreamingHttpResponse(chunks, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="sql-result-{str(job.pk)[:8]}.{extension}"'
        return response


class QueryHistoryView(ListAPIView):
    """Your query history, newest first: every statement you ran or tried, with its outcome."""

    serializer_class = QueryRunSerializer
    permission_classes = [LoggedIn]

    def get_queryset(self):
        return selectors.history_of(self.request.user, workspace=self.request.query_params.get("workspace", ""))


class SavedQueryViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Saved queries of your workspaces (`?workspace=<slug>` for one). Saving and changing need an editor."""

    serializer_class = SavedQuerySerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return selectors.saved_queries(self.request.user, workspace=self.request.query_params.get("workspace", ""))

    def get_object(self, action_name=None):
        return selectors.saved_query_for(
            self.request.user, self.kwargs["pk"], action_name or permissions.action_for(self.request)
        )

    @extend_schema(request=SavedQueryCreateSerializer, responses={201: SavedQuerySerializer})
    def create(self, request):
        """Save a statement in a workspace (checked by the guard first)."""
        serializer = SavedQueryCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        workspace = writable_workspace(request.user, data["workspace"], what="saved queries")
        query = services.query_create(
            workspace=workspace, title=data["title"], sql=data["sql"], created_by=request.user
        )
        return Response(SavedQuerySerializer(query).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SavedQueryUpdateSerializer, responses=SavedQuerySerializer)
    def partial_update(self, request, pk=None):
        """Change the title or the SQL."""
        query = self.get_object()
        serializer = SavedQueryUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.query_update(query=query, **serializer.validated_data)
        return Response(SavedQuerySerializer(query).data)

    def perform_destroy(self, instance):
        services.query_delete(query=instance)

    @extend_schema(request=None, responses={202: MaterializeAnswerSerializer})
    @action(detail=True, methods=["post"])
    def materialize(self, request, pk=None):
        """Make or refresh the query's derived dataset: 202 with the dataset, its new version and the job.
        The dataset is rebuilt whenever one of its input datasets gets a new version."""
        query = self.get_object(permissions.CHANGE)
        dataset, version, job = services.query_materialize(query=query, user=request.user)
        answer = {
            "dataset": DatasetSerializer(dataset).data,
            "version": VersionSerializer(version).data,
            "job": JobSerializer(job).data,
        }
        return Response(answer, status=status.HTTP_202_ACCEPTED)
