from rest_framework import serializers, viewsets

from apps.core.permissions import IsAuthenticated
from apps.jobs.models import Job
from apps.jobs.selectors import jobs_for


class JobSerializer(serializers.ModelSerializer):
    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "status",
            "progress",
            "stage",
            "message",
            "error",
            "result",
            "created_at",
            "started_at",
            "finished_at",
        ]


class JobViewSet(viewsets.ReadOnlyModelViewSet):
    """Background jobs (ingest, exports, refreshes): poll one until `status` is succeeded or failed."""

    serializer_class = JobSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return jobs_for(self.request.user)
