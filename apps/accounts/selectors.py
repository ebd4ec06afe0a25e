"""Reads for people, workspaces and tokens, scoped to what the caller may see."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application, RefreshToken

from apps.accounts.models import ApiToken, Invitation, Membership, User, Workspace
from apps.core import permissions


def workspaces_of(user: User) -> QuerySet[Workspace]:
    return permissions.workspaces_for(user).annotate(member_count=Count("memberships")).order_by("-is_personal", "name")


def members_of(workspace: Workspace) -> QuerySet[Membership]:
    return workspace.memberships.select_related("user").order_by("user__email")


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's tokens that have not been revoked, newest first."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True)


def invitations_pending(workspace: Workspace) -> QuerySet[Invitation]:
    """Invitations of the workspace that can still be accepted, newest first."""
    return workspace.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("invited_by")


def oauth_applications_of(user: User) -> QuerySet[Application]:
    """OAuth2 applications the user registered."""
    return Application.objects.filter(user=user).order_by("name", "pk")


def authorized_applications_of(user: User) -> QuerySet[Application]:
    """Applications that can act for the user now: a live access token or an unrevoked refresh token."""
    live_access = AccessToken.objects.filter(user=user, expires__gt=timezone.now()).values("application")
    live_refresh = RefreshToken.objects.filter(user=user, revoked__isnull=True).values("application")
    return (
        Application.objects.filter(Q(pk__in=live_access) | Q(pk__in=live_refresh))
        .select_related("user")
        .order_by("name", "pk")
    )
