"""API for the caller, personal tokens and workspaces."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts import selectors, services
from apps.accounts.models import ApiToken, Membership, TokenScope, User, Workspace
from apps.core import permissions
from apps.core.permissions import IsAuthenticated


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "name", "date_joined"]


class MembershipOfUserSerializer(serializers.ModelSerializer):
    workspace = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Membership
        fields = ["workspace", "role"]


class MeSerializer(UserSerializer):
    workspaces = MembershipOfUserSerializer(source="memberships", many=True, read_only=True)
    token_scope = serializers.SerializerMethodField()

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "workspaces", "token_scope"]

    def get_token_scope(self, user) -> str | None:
        token = self.context["request"].auth
        return getattr(token, "scope", None)  # a personal token, a JWT or an OAuth2 token


class MeView(APIView):
    """The caller: their account, their workspace roles, and the scope of the token used."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user, context={"request": request}).data)


class TokenSerializer(serializers.ModelSerializer):
    scope = serializers.ChoiceField(choices=TokenScope.choices, default=TokenScope.READ)
    expires_at = serializers.DateTimeField(required=False, allow_null=True)

    class Meta:
        model = ApiToken
        fields = ["id", "name", "scope", "prefix", "created_at", "expires_at", "last_used_at"]
        read_only_fields = ["prefix", "created_at", "last_used_at"]


class NewTokenSerializer(TokenSerializer):
    token = serializers.CharField(read_only=True, help_text="The secret. Shown in this response only.")

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "token"]


class RevokedSerializer(serializers.Serializer):
    revoked = serializers.IntegerField(help_text="How many tokens stopped working.")


class TokenViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Personal API tokens of the caller. The secret appears once, in the create response."""

    serializer_class = TokenSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return selectors.tokens_of(self.request.user)

    @extend_schema(request=TokenSerializer, responses={201: NewTokenSerializer})
    def create(self, request, *args, **kwargs):
        """Create a token; the answer carries its secret, which is never shown again."""
        serializer = TokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, secret = services.token_create(user=request.user, **serializer.validated_data)
        token.token = secret
        return Response(NewTokenSerializer(token).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        """Revoke a token: it stops working at once."""
        services.token_revoke(token=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={200: RevokedSerializer})
    @action(detail=False, methods=["post"], url_path="revoke-all")
    def revoke_all(self, request):
        """Revoke every personal token of the caller, the one sending this request included."""
        return Response({"revoked": services.tokens_revoke_all(user=request.user)})


class MemberSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)

    class Meta:
        model = Membership
        fields = ["email", "role"]


class WorkspaceSerializer(serializers.ModelSerializer):
    role = serializers.SerializerMethodField()
    slug = serializers.SlugField(required=False, max_length=60)

    class Meta:
        model = Workspace
        fields = ["slug", "name", "description", "is_personal", "created_at", "role"]
        read_only_fields = ["is_personal", "created_at"]

    def get_role(self, workspace) -> str | None:
        return permissions.role_in(self.context["request"].user, workspace)


class WorkspaceDetailSerializer(WorkspaceSerializer):
    members = MemberSerializer(source="memberships", many=True, read_only=True)

    class Meta(WorkspaceSerializer.Meta):
        fields = [*WorkspaceSerializer.Meta.fields, "members"]


class WorkspaceViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Workspaces the caller belongs to, with the caller's role in each."""

    serializer_class = WorkspaceSerializer
    permission_classes = [IsAuthenticated]
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.workspaces_of(self.request.user)

    def get_serializer_class(self):
        return WorkspaceDetailSerializer if self.action == "retrieve" else WorkspaceSerializer

    def get_object(self):
        return get_object_or_404(self.get_queryset(), slug=self.kwargs["slug"])

    def create(self, request, *args, **kwargs):
        """Create a workspace; the caller becomes its owner."""
        serializer = WorkspaceSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        workspace = services.workspace_create(
            name=serializer.validated_data["name"],
            slug=serializer.validated_data.get("slug", ""),
            owner=request.user,
        )
        data = WorkspaceSerializer(workspace, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)
