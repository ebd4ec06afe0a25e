"""The datasets API: datasets, uploads, versions, rows and exports.

The engine's refusals (QueryError) need no handling here: the one exception handler answers them 400."""

from django.conf import settings
from django.http import StreamingHttpResponse
from django.utils.text import slugify
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from apps.core import permissions
from apps.core.api import CSV_FORMULAS_PARAMETER, IgnoreFormatParameter, csv_formulas_of, writable_workspace
from apps.datasets import selectors, services
from apps.datasets.api.serializers import (
    DatasetCreateSerializer,
    DatasetSerializer,
    NewVersionAnswerSerializer,
    NewVersionSerializer,
    RowsAnswerSerializer,
    UploadAnswerSerializer,
    UploadSerializer,
    VersionSerializer,
)
from apps.datasets.uploads import upload_limit_message
from apps.jobs.api import JobSerializer
from dataplane.engine import export_stream, rows_query

EXPORT_FORMATS = ("csv", "json", "ndjson", "parquet")


class TooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


def check_upload_size(request) -> None:
    request.data  # noqa: B018 (parses the body, which runs the upload handlers)
    if getattr(request._request, "upload_too_large", False):
        raise TooLarge(upload_limit_message())


ROWS_PARAMETERS = [
    OpenApiParameter("_size", int, description="Rows per page (default 100, max 1000)."),
    OpenApiParameter("_sort", str, description="Comma-separated columns, `-` for descending: `a,-b`."),
    OpenApiParameter("_cols", str, description="Comma-separated columns to return."),
    OpenApiParameter("_search", str, description="Case-insensitive text search over all text columns."),
    OpenApiParameter("_cursor", str, description="The `next` cursor of the previous page."),
    OpenApiParameter(
        "<column>[__<op>]",
        str,
        description="Filters: `col=v` or `col__op=v`, op in exact ne gt gte lt lte in contains icontains "
        "startswith isnull. See the engine docs for columns whose names need escaping.",
    ),
]


class AggregateAnswerSerializer(serializers.Serializer):
    columns = serializers.ListField(child=serializers.DictField())
    rows = serializers.ListField(child=serializers.DictField())


class DatasetViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Datasets you may see: your workspaces' and public ones. Editors and owners change them."""

    serializer_class = DatasetSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    # POSTed, but only reads: anyone who may see the dataset may ask, read tokens included.
    read_actions = ("query", "version_query")

    def get_queryset(self):
        params = self.request.query_params
        return selectors.catalog(
            self.request.user,
            q=params.get("q", ""),
            workspace=params.get("workspace", ""),
            tag=params.get("tag", ""),
            visibility=params.get("visibility", ""),
        )

    def dataset(self, action_name: str = permissions.VIEW):
        return selectors.dataset_for(self.request.user, action_name, pk=self.kwargs["pk"])

    def get_object(self):
        return self.dataset(permissions.action_for(self.request))

    @extend_schema(request=DatasetCreateSerializer, responses={201: DatasetSerializer})
    def create(self, request):
        """Create an empty dataset; add data with POST .../versions/ (a file or a URL)."""
        serializer = DatasetCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        dataset = services.dataset_create(
            workspace=writable_workspace(request.user, data["workspace"], what="datasets"),
            title=data["title"],
            description=data.get("description", ""),
            visibility=data["visibility"],
            tags=data.get("tags"),
            created_by=request.user,
        )
        return Response(DatasetSerializer(dataset).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DatasetSerializer, responses=DatasetSerializer)
    def partial_update(self, request, pk=None):
        """Change the title, description, visibility or tags. Making a dataset derived from private data public
        is a 400 unless you may edit the workspace of every private input."""
        dataset = self.get_object()
        serializer = DatasetSerializer(dataset, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.dataset_update(dataset=dataset, changed_by=request.user, **serializer.validated_data)
        return Response(DatasetSerializer(dataset).data)

    def perform_destroy(self, instance):
        services.dataset_delete(dataset=instance)

    @extend_schema(
        request={"multipart/form-data": UploadSerializer, "application/json": UploadSerializer},
        responses={202: UploadAnswerSerializer},
    )
    @action(detail=False, methods=["post"], parser_classes=[MultiPartParser, JSONParser])
    def upload(self, request):
        """A new dataset and its first version, from a file (multipart `file`) or a URL (`url`), in one
        request. The answer comes at once (202); follow the job. Without a title, the dataset is named
        after the file or the URL."""
        check_upload_size(request)
        serializer = UploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        dataset, version, job = services.dataset_upload(
            workspace=writable_workspace(request.user, data["workspace"], what="datasets"),
            file=data.get("file"),
            url=data.get("url"),
            title=data.get("title"),
            description=data.get("description", ""),
            visibility=data["visibility"],
            tags=data.get("tags"),
            created_by=request.user,
        )
        answer = {
            "dataset": DatasetSerializer(dataset).data,
            "version": VersionSerializer(version).data,
            "job": JobSerializer(job).data,
        }
        return Response(answer, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": NewVersionSerializer, "application/json": NewVersionSerializer},
        responses={202: NewVersionAnswerSerializer},
        description='Add a version from a file (multipart `file`) or a URL (JSON `{"url": ...}`).',
    )
    @extend_schema(methods=["GET"], responses=VersionSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def versions(self, request, pk=None):
        """The dataset's versions, newest first; POST adds one from a file or a URL."""
        if request.method == "GET":
            dataset = self.dataset()
            page = self.paginate_queryset(selectors.versions_of(dataset))
            return self.get_paginated_response(VersionSerializer(page, many=True).data)
        dataset = self.dataset(permissions.CHANGE)
        check_upload_size(request)
        serializer = NewVersionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version, job = services.version_create(
            dataset=dataset,
            uploaded_file=serializer.validated_data.get("file"),
            url=serializer.validated_data.get("url", ""),
            created_by=request.user,
        )
        answer = {"version": VersionSerializer(version).data, "job": JobSerializer(job).data}
        return Response(answer, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses=VersionSerializer)
    @action(detail=True, methods=["get"], url_path=r"versions/(?P<number>\d+)")
    def version(self, request, pk=None, number=None):
        """One version: status, row count, schema and profile."""
        version = selectors.version_of(self.dataset(), int(number))
        return Response(VersionSerializer(version).data)

    @extend_schema(parameters=ROWS_PARAMETERS, responses=RowsAnswerSerializer)
    @action(detail=True, methods=["get"], content_negotiation_class=IgnoreFormatParameter)
    def rows(self, request, pk=None):
        """Rows of the current version: filter, sort, pick columns, search, page with `next`."""
        return self.rows_answer(request, selectors.ready_version_of(self.dataset(), None))

    @extend_schema(parameters=ROWS_PARAMETERS, responses=RowsAnswerSerializer)
    @action(
        detail=True,
        methods=["get"],
        url_path=r"versions/(?P<number>\d+)/rows",
        content_negotiation_class=IgnoreFormatParameter,
    )
    def version_rows(self, request, pk=None, number=None):
        """Rows of one version, pinned: the answer never changes."""
        return self.rows_answer(request, selectors.ready_version_of(self.dataset(), int(number)))

    def rows_answer(self, request, version):
        answer = rows_query(version.path, version.columns, request.query_params, timeout_s=settings.QUERY_TIMEOUT)
        if answer.get("next"):
            params = request.query_params.copy()
            params["_cursor"] = answer["next"]
            answer["next"] = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
        return Response(answer)

    @extend_schema(
        parameters=[
            OpenApiParameter("format", str, enum=EXPORT_FORMATS, description="Default csv."),
            CSV_FORMULAS_PARAMETER,
            *ROWS_PARAMETERS,
        ],
        responses={(200, "text/csv"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], content_negotiation_class=IgnoreFormatParameter)
    def export(self, request, pk=None):
        """The current version's rows as a streamed file; honours the same filters as rows."""
        return self.export_answer(request, self.dataset(), None)

    @extend_schema(
        parameters=[
            OpenApiParameter("format", str, enum=EXPORT_FORMATS, description="Default csv."),
            CSV_FORMULAS_PARAMETER,
            *ROWS_PARAMETERS,
        ],
        responses={(200, "text/csv"): OpenApiTypes.BINARY},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"versions/(?P<number>\d+)/export",
        content_negotiation_class=IgnoreFormatParameter,
    )
    def version_export(self, request, pk=None, number=None):
        """One version's rows as a streamed file."""
        return self.export_answer(request, self.dataset(), int(number))

    @extend_schema(request=OpenApiTypes.OBJECT, responses=AggregateAnswerSerializer)
    @action(detail=True, methods=["post"])
    def query(self, request, pk=None):
        """Aggregate the current version: filters, group_by (with date buckets), measures, order_by,
        limit. Answers are cached per (version, query); `X-Cache` says hit or miss."""
        return self.query_answer(request, selectors.ready_version_of(self.dataset(), None))

    @extend_schema(request=OpenApiTypes.OBJECT, responses=AggregateAnswerSerializer)
    @action(detail=True, methods=["post"], url_path=r"versions/(?P<number>\d+)/query")
    def version_query(self, request, pk=None, number=None):
        """Aggregate one pinned version."""
        return self.query_answer(request, selectors.ready_version_of(self.dataset(), int(number)))

    def query_answer(self, request, version):
        if not isinstance(request.data, dict):
            raise ValidationError("The body must be a JSON object: {filters, group_by, measures, order_by, limit}.")
        answer, cached = selectors.aggregate(version, request.data)
        return Response(answer, headers={"X-Cache": "hit" if cached else "miss"})

    def export_answer(self, request, dataset, number):
        version = selectors.ready_version_of(dataset, number)
        fmt = request.query_params.get("format", "csv")
        if fmt not in EXPORT_FORMATS:
            raise ValidationError({"format": [f"Use one of {', '.join(EXPORT_FORMATS)}."]})
        params = request.query_params.copy()
        params.pop("format", None)
        csv_formulas = csv_formulas_of(params)
        content_type, extension, chunks = export_stream(
            version.path, version.columns, params, fmt, csv_formulas=csv_formulas
        )
        response = StreamingHttpResponse(chunks, content_type=content_type)
        filename = f"{slugify(dataset.title) or 'dataset'}-v{version.number}.{extension}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
