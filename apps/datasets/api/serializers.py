from rest_framework import serializers

from apps.datasets.models import Dataset, Version, Visibility
from apps.datasets.url_import import redacted_url
from apps.jobs.api import JobSerializer


class ColumnSerializer(serializers.Serializer):
    name = serializers.CharField()
    original_name = serializers.CharField()
    type = serializers.CharField()
    nullable = serializers.BooleanField()


class VersionSerializer(serializers.ModelSerializer):
    job = serializers.UUIDField(source="job_id", read_only=True, allow_null=True)
    columns = ColumnSerializer(many=True, read_only=True)
    source_name = serializers.SerializerMethodField(
        help_text="The uploaded file's name, or the URL without user name, password or query string."
    )

    class Meta:
        model = Version
        fields = [
            "number",
            "status",
            "source_kind",
            "source_name",
            "source_size",
            "format",
            "encoding",
            "delimiter",
            "row_count",
            "column_count",
            "columns",
            "profile",
            "error",
            "recipe_revision",
            "job",
            "created_at",
            "ready_at",
        ]

    def get_source_name(self, version) -> str:
        return redacted_url(version.source_name)


class VersionBriefSerializer(VersionSerializer):
    class Meta(VersionSerializer.Meta):
        fields = [
            "number",
            "status",
            "row_count",
            "column_count",
            "error",
            "recipe_revision",
            "job",
            "created_at",
            "ready_at",
        ]


class DatasetSerializer(serializers.ModelSerializer):
    workspace = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    tags = serializers.ListField(child=serializers.CharField(max_length=40), required=False, source="tag_names")
    current_version = VersionBriefSerializer(read_only=True, allow_null=True)
    page_url = serializers.CharField(source="get_absolute_url", read_only=True)
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.PRIVATE)

    class Meta:
        model = Dataset
        fields = [
            "id",
            "workspace",
            "slug",
            "title",
            "description",
            "visibility",
            "tags",
            "current_version",
            "page_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["slug", "created_at", "updated_at"]

    def validate(self, attrs):
        if "tag_names" in attrs:
            attrs["tags"] = attrs.pop("tag_names")
        return attrs


class DatasetCreateSerializer(DatasetSerializer):
    workspace = serializers.SlugField(help_text="Slug of a workspace where you are editor or owner.")


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField(required=False, help_text="CSV, TSV, Excel (.xlsx), JSON, JSON Lines or Parquet.")
    url = serializers.URLField(required=False, max_length=1000, help_text="Or an http(s) URL the worker downloads.")
    workspace = serializers.SlugField(help_text="Slug of a workspace where you are editor or owner.")
    title = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Defaults to the file name or the URL."
    )
    description = serializers.CharField(required=False, allow_blank=True)
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.PRIVATE)
    tags = serializers.ListField(child=serializers.CharField(max_length=40), required=False)

    def validate(self, attrs):
        if bool(attrs.get("file")) == bool(attrs.get("url")):
            raise serializers.ValidationError({"file": ['Send either a file (multipart) or a URL ({"url": ...}).']})
        return attrs


class NewVersionSerializer(serializers.Serializer):
    file = serializers.FileField(required=False)
    url = serializers.URLField(required=False, max_length=1000)

    def validate(self, attrs):
        if bool(attrs.get("file")) == bool(attrs.get("url")):
            raise serializers.ValidationError('Send either a file (multipart) or a URL (JSON {"url": ...}).')
        return attrs


class UploadAnswerSerializer(serializers.Serializer):
    dataset = DatasetSerializer()
    version = VersionSerializer()
    job = JobSerializer()


class NewVersionAnswerSerializer(serializers.Serializer):
    version = VersionSerializer()
    job = JobSerializer()


class RowsAnswerSerializer(serializers.Serializer):
    columns = serializers.ListField(child=serializers.DictField())
    rows = serializers.ListField(child=serializers.DictField())
    total = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
