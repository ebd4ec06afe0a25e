"""Request and answer shapes of the SQL API (DESIGN.md, "API contract (v1), second part — SQL")."""

from rest_framework import serializers

from apps.datasets.api.serializers import DatasetSerializer, VersionSerializer
from apps.jobs.api import JobSerializer
from apps.sql.models import QueryRun, SavedQuery
from apps.sql.services import DEFAULT_LIMIT, MAX_LIMIT


class SqlRequestSerializer(serializers.Serializer):
    sql = serializers.CharField(trim_whitespace=False, help_text="One SELECT (or WITH … SELECT) statement.")
    workspace = serializers.CharField(
        required=False, allow_blank=True, help_text="The workspace (slug) in which unqualified table names resolve."
    )
    limit = serializers.IntegerField(required=False, default=DEFAULT_LIMIT, min_value=1, max_value=MAX_LIMIT)
    # "async" is a Python keyword; the field is renamed in the view.
    run_async = serializers.BooleanField(required=False, default=False, help_text="Run as a job (202 with the job).")

    def to_internal_value(self, data):
        if hasattr(data, "copy") and "async" in data:
            data = data.copy()
            data["run_async"] = data.pop("async")
        return super().to_internal_value(data)


class ResultColumnSerializer(serializers.Serializer):
    name = serializers.CharField()
    type = serializers.CharField()


class InputSerializer(serializers.Serializer):
    dataset = serializers.UUIDField()
    version = serializers.IntegerField()


class SqlAnswerSerializer(serializers.Serializer):
    columns = ResultColumnSerializer(many=True)
    rows = serializers.ListField(child=serializers.DictField())
    truncated = serializers.BooleanField(help_text="More rows matched than `limit`.")
    elapsed_ms = serializers.FloatField()
    inputs = InputSerializer(many=True, help_text="Each table read, and the version its rows came from.")


class SqlJobAnswerSerializer(serializers.Serializer):
    job = JobSerializer()


class ResultRowsSerializer(serializers.Serializer):
    columns = ResultColumnSerializer(many=True)
    rows = serializers.ListField(child=serializers.DictField())
    total = serializers.IntegerField()


class SavedQuerySerializer(serializers.ModelSerializer):
    workspace = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    created_by = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text="The query opened in the SQL editor.")
    derived_dataset = serializers.SerializerMethodField(help_text="The dataset materialized from it, if any.")

    class Meta:
        model = SavedQuery
        fields = ["id", "workspace", "title", "sql", "created_by", "updated_at", "url", "derived_dataset"]
        read_only_fields = ["id", "updated_at"]

    def get_created_by(self, query) -> str | None:
        return query.created_by.display_name if query.created_by else None

    def get_url(self, query) -> str:
        from django.urls import reverse

        return reverse("sql:editor", args=[query.workspace.slug]) + f"?query={query.pk}"

    def get_derived_dataset(self, query) -> str | None:
        derived = query.derived.first()
        return str(derived.dataset_id) if derived else None


class SavedQueryCreateSerializer(serializers.Serializer):
    workspace = serializers.CharField(help_text="The workspace's slug; saving needs the editor role there.")
    title = serializers.CharField(max_length=200)
    sql = serializers.CharField(trim_whitespace=False)


class SavedQueryUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    sql = serializers.CharField(trim_whitespace=False, required=False)


class MaterializeAnswerSerializer(serializers.Serializer):
    dataset = DatasetSerializer()
    version = VersionSerializer()
    job = JobSerializer()


class QueryRunSerializer(serializers.ModelSerializer):
    workspace = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    status = serializers.CharField(help_text="ok (answered), error (refused or failed) or queued (ran as a job).")

    class Meta:
        model = QueryRun
        fields = ["id", "sql", "workspace", "status", "error_code", "row_count", "elapsed_ms", "job", "created_at"]
