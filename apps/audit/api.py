"""GET /api/v1/workspaces/{slug}/audit/: the workspace's audit log, for its owners."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers

from apps.audit import selectors
from apps.audit.models import AuditEvent
from apps.core import permissions


class AuditTargetSerializer(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.CharField()
    label = serializers.CharField()


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_email", allow_null=True)
    target = AuditTargetSerializer()

    class Meta:
        model = AuditEvent
        fields = ["at", "actor", "action", "target", "details", "ip"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["actor"] = data["actor"] or None
        return data


@extend_schema(
    parameters=[
        OpenApiParameter("action", str, description="Only this action, e.g. `dataset.deleted`."),
        OpenApiParameter("actor", str, description="Only what this person (e-mail) did."),
    ]
)
class WorkspaceAuditView(generics.ListAPIView):
    """The workspace's audit log, newest first: who did what, when and from which address. Owners only."""

    serializer_class = AuditEventSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        workspace = permissions.workspace_for(self.request.user, self.kwargs["slug"], permissions.MANAGE)
        params = self.request.query_params
        return selectors.workspace_events(workspace, action=params.get("action", ""), actor=params.get("actor", ""))
