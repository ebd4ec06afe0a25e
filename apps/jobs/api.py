from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from apps.core.permissions import IsAuthenticated
from apps.jobs.models import Job
from apps.jobs.selectors import jobs_for
from apps.jobs.services import job_cancel


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


class JobViewSet(mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet):
    """Background jobs (ingest, exports, refreshes): poll one until `status` is succeeded or failed."""

    serializer_class = JobSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return jobs_for(self.request.user)

    @extend_schema(responses=JobSerializer)
    def destroy(self, request, *args, **kwargs):
        """Cancel a queued or running job (its starter, or an editor of its workspace): it ends failed,
        with `error` "Cancelled by …". Answers the job as it now stands."""
        job = job_cancel(job=self.get_object(), by=request.user)
        return Response(JobSerializer(job).data)
