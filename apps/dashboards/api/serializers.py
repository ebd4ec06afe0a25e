from rest_framework import serializers

from apps.dashboards.models import Chart, ChartType, Dashboard, ShareLink, Tile
from apps.datasets.models import Dataset


class ChartSerializer(serializers.ModelSerializer):
    dataset = serializers.PrimaryKeyRelatedField(queryset=Dataset.objects.all())
    workspace = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    chart_type = serializers.ChoiceField(choices=ChartType.choices)
    query = serializers.JSONField(help_text="An aggregate query body (see POST /datasets/{id}/query/).")
    options = serializers.JSONField(required=False)
    version_number = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    dataset_title = serializers.CharField(source="dataset.title", read_only=True)
    explore_url = serializers.SerializerMethodField()

    class Meta:
        model = Chart
        fields = [
            "id",
            "workspace",
            "dataset",
            "dataset_title",
            "title",
            "chart_type",
            "query",
            "options",
            "version_number",
            "explore_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def get_explore_url(self, chart) -> str:
        from django.urls import reverse

        url = reverse("dashboards:explore", args=[chart.dataset.workspace.slug, chart.dataset.slug])
        return f"{url}?chart={chart.pk}"


class TileSerializer(serializers.ModelSerializer):
    chart = serializers.UUIDField(source="chart_id", required=False, allow_null=True)
    kind = serializers.CharField(read_only=True)

    class Meta:
        model = Tile
        fields = ["id", "kind", "chart", "text", "x", "y", "w", "h"]
        read_only_fields = ["id"]


class DashboardSerializer(serializers.ModelSerializer):
    workspace = serializers.SlugField()
    tiles = TileSerializer(many=True, required=False)
    filters = serializers.JSONField(required=False)
    page_url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Dashboard
        fields = [
            "id",
            "workspace",
            "slug",
            "title",
            "description",
            "filters",
            "tiles",
            "page_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["slug", "created_at", "updated_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["workspace"] = instance.workspace.slug
        return data

    def validate_filters(self, filters):
        if not isinstance(filters, list) or not all(isinstance(f, dict) and "column" in f for f in filters):
            raise serializers.ValidationError('Filters are a list of {"column", "op", "value"}.')
        return filters


class ShareLinkSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ShareLink
        fields = ["id", "token", "url", "created_at", "revoked_at"]
        read_only_fields = fields

    def get_url(self, link) -> str:
        from django.urls import reverse

        path = reverse("dashboards:shared", args=[link.token])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ChartDataSerializer(serializers.Serializer):
    columns = serializers.ListField(child=serializers.DictField())
    rows = serializers.ListField(child=serializers.DictField())
    version = serializers.IntegerField()
    cached = serializers.BooleanField()
    filters_applied = serializers.ListField(child=serializers.DictField())
