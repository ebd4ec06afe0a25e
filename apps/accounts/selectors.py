"""Reads for people, workspaces and tokens, scoped to what the caller may see."""

from django.db.models import Count, QuerySet

from apps.accounts.models import ApiToken, Membership, User, Workspace
from apps.core import permissions


def workspaces_of(user: User) -> QuerySet[Workspace]:
    return permissions.workspaces_for(user).annotate(member_count=Count("memberships")).order_by("-is_personal", "name")


def members_of(workspace: Workspace) -> QuerySet[Membership]:
    return workspace.memberships.select_related("user").order_by("user__email")


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's tokens that have not been revoked, newest first."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True)
