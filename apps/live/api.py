"""The caller's notifications: list them, mark them read."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.permissions import IsAuthenticated
from apps.live import selectors, services
from apps.live.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "message", "url", "created_at", "read"]


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), required=False, max_length=1000
    )
    all = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs):
        if not attrs.get("all") and not attrs.get("ids"):
            raise serializers.ValidationError('Send {"ids": [...]} or {"all": true}.')
        return attrs


class MarkReadAnswerSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many notifications became read.")
    unread = serializers.IntegerField(help_text="How many are still unread.")


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("read", bool, description="Only read (`true`) or unread (`false`) ones.")]
    )
)
class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The caller's notifications, newest first: job outcomes, new or failed versions in their
    workspaces, failed refreshes. Each also arrives live as a `notification` event on /ws/."""

    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        notifications = selectors.notifications_for(self.request.user)
        read = self.request.query_params.get("read")
        if read in ("true", "false"):
            notifications = notifications.filter(read_at__isnull=read == "false")
        return notifications

    @extend_schema(request=MarkReadSerializer, responses=MarkReadAnswerSerializer)
    @action(detail=False, methods=["post"])
    def read(self, request):
        """Mark notifications read: `{"ids": [...]}` (ids that are not the caller's are ignored) or `{"all": true}`."""
        serializer = MarkReadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        marked = services.notifications_mark_read(
            user=request.user, ids=serializer.validated_data.get("ids"), everything=serializer.validated_data["all"]
        )
        return Response({"marked": marked, "unread": selectors.unread_count(request.user)})
