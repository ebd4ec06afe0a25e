"""GET /api/v1/datasets/{id}/versions/{a}/diff/{b}/: what changed between two versions."""

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.datasets import diffs
from apps.datasets.selectors import dataset_for
from apps.jobs.api import JobSerializer


class TypeChangeSerializer(serializers.Serializer):
    name = serializers.CharField()
    to = serializers.CharField()

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.CharField()  # a keyword in Python, a field name in the contract
        return fields


class SchemaChangesSerializer(serializers.Serializer):
    added = serializers.ListField(child=serializers.CharField())
    removed = serializers.ListField(child=serializers.CharField())
    type_changed = TypeChangeSerializer(many=True)


class RowChangesSerializer(serializers.Serializer):
    before = serializers.IntegerField(help_text="Rows in version a.")
    after = serializers.IntegerField(help_text="Rows in version b.")
    added = serializers.IntegerField()
    removed = serializers.IntegerField()
    changed = serializers.IntegerField(help_text="Keyed diffs only: rows whose key is in both, with other values.")
    unchanged = serializers.IntegerField()


class ChangedRowSerializer(serializers.Serializer):
    key = serializers.DictField()
    before = serializers.DictField()
    after = serializers.DictField()


class SampleSerializer(serializers.Serializer):
    added = serializers.ListField(child=serializers.DictField())
    removed = serializers.ListField(child=serializers.DictField())
    changed = ChangedRowSerializer(many=True)


class DriftSerializer(serializers.Serializer):
    nulls = serializers.ListField(child=serializers.JSONField(), min_length=2, max_length=2)
    distinct = serializers.ListField(child=serializers.JSONField(), min_length=2, max_length=2)
    mean = serializers.ListField(child=serializers.JSONField(), min_length=2, max_length=2)
    min = serializers.ListField(child=serializers.JSONField(), min_length=2, max_length=2)
    max = serializers.ListField(child=serializers.JSONField(), min_length=2, max_length=2)


class DiffSerializer(serializers.Serializer):
    schema = SchemaChangesSerializer()
    rows = RowChangesSerializer()
    changed_columns = serializers.DictField(child=serializers.IntegerField(), help_text="{column: rows changed}")
    sample = SampleSerializer()
    profile = serializers.DictField(child=DriftSerializer(), help_text="{column: [a, b] per measure}")


class DiffJobSerializer(serializers.Serializer):
    job = JobSerializer()


class VersionDiffView(APIView):
    """The difference from version a to version b of one dataset."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "key",
                str,
                description="Key columns, comma-separated (or a JSON list): rows are matched on them and edits "
                "count as changed. Without it rows are compared whole, as multisets.",
            )
        ],
        responses={200: DiffSerializer, 202: DiffJobSerializer},
    )
    def get(self, request, pk, a, b):
        """Schema changes, row counts, samples of added, removed and changed rows, and profile drift.

        Large versions answer 202 with the job computing the diff; ask the same URL again when it has
        succeeded. Answers are cached: versions never change.
        """
        dataset = dataset_for(request.user, pk=pk)
        key = diffs.parse_key(request.query_params.getlist("key") or None)
        answer = diffs.versions_diff(dataset=dataset, a=a, b=b, key=key, created_by=request.user)
        if answer.job is not None:
            return Response({"job": JobSerializer(answer.job).data}, status=status.HTTP_202_ACCEPTED)
        return Response(answer.diff)


urlpatterns = [
    path(
        "datasets/<str:pk>/versions/<int:a>/diff/<int:b>/",
        VersionDiffView.as_view(),
        name="dataset-version-diff",
    ),
]
