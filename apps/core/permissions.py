"""The one permission layer: every page and every endpoint asks these functions.

Roles rank viewer < editor < owner. An action needs a minimum role:
`view` needs viewer, `change` needs editor, `manage` (members, deletion of the workspace) owner.
Something the caller may not even see answers 404; something seen but not allowed answers 403.
Workspace-owned models (datasets, charts, dashboards) scope themselves with their queryset's
`restrict(user, action)` (`apps.core.querysets`), so this module names no model above `accounts`.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404
from rest_framework.permissions import SAFE_METHODS, BasePermission

from apps.accounts.models import Membership, Role, Workspace

VIEW = "view"
CHANGE = "change"
MANAGE = "manage"

ROLE_RANK = {Role.VIEWER: 1, Role.EDITOR: 2, Role.OWNER: 3}
ACTION_MIN_ROLE = {VIEW: Role.VIEWER, CHANGE: Role.EDITOR, MANAGE: Role.OWNER}


class NotAllowed(PermissionDenied):
    """The caller sees the object but its role does not allow the action (a 403)."""


def role_in(user, workspace: Workspace) -> str | None:
    """The user's role in the workspace, or None for anonymous visitors and outsiders."""
    if not user.is_authenticated:
        return None
    cache = getattr(user, "_datamill_roles", None)
    if cache is None:
        cache = dict(Membership.objects.filter(user=user).values_list("workspace_id", "role"))
        user._datamill_roles = cache
    return cache.get(workspace.pk)


def role_allows(role: str | None, action: str) -> bool:
    return role is not None and ROLE_RANK[role] >= ROLE_RANK[ACTION_MIN_ROLE[action]]


def can(user, action: str, workspace: Workspace) -> bool:
    return role_allows(role_in(user, workspace), action)


def action_for(request) -> str:
    """What an API request asks of an object: to view it (safe methods) or to change it."""
    return VIEW if request.method in SAFE_METHODS else CHANGE


def workspaces_for(user, action: str = VIEW) -> QuerySet[Workspace]:
    """Workspaces in which the user may do `action`."""
    if not user.is_authenticated:
        return Workspace.objects.none()
    roles = [r for r, rank in ROLE_RANK.items() if rank >= ROLE_RANK[ACTION_MIN_ROLE[action]]]
    return Workspace.objects.filter(memberships__user=user, memberships__role__in=roles)


def workspace_for(user, slug: str, action: str = VIEW) -> Workspace:
    """The workspace the user may see, else Http404; NotAllowed when seen but `action` is not."""
    workspace = workspaces_for(user, VIEW).filter(slug=slug).first()
    if workspace is None:
        raise Http404("No such workspace.")
    require(user, action, workspace)
    return workspace


def require(user, action: str, workspace: Workspace) -> None:
    if not can(user, action, workspace):
        raise NotAllowed(
            f"Your role in “{workspace.name}” does not allow this; "
            f"it needs {ACTION_MIN_ROLE[action].label.lower()} or above."
        )


def forget_roles(user) -> None:
    """Drop the per-request role cache after memberships change."""
    if hasattr(user, "_datamill_roles"):
        del user._datamill_roles


def token_allows_write(request) -> bool:
    """False when the request came with a token whose scope is `read` (sessions and write tokens: True)."""
    token = getattr(request, "auth", None)
    return not (token is not None and hasattr(token, "can_write") and not token.can_write)


def require_pre_recipe(request, dataset) -> None:
    """Pre-recipe data (a version's kept source, inferred file and columns, a preview's before values) is for
    those who may change the recipe: editors and owners of the dataset's workspace, with a write token if a
    token. The caller has already found `dataset` among those the user may see (else a 404)."""
    require(request.user, CHANGE, dataset.workspace)
    if not token_allows_write(request):
        raise NotAllowed(TokenScopePermission.message)


class TokenScopePermission(BasePermission):
    """Anyone may call safe methods (querysets decide what they see); writes need a login and,
    with a token, the `write` scope."""

    message = "This API token has the read scope; writing needs a token with the write scope."

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS or getattr(view, "action", None) in getattr(view, "read_actions", ()):
            return True
        if not token_allows_write(request):
            return False
        if not request.user.is_authenticated:
            self.message = "Authentication credentials were not provided."
            return False
        return True


class IsAuthenticated(TokenScopePermission):
    """Like TokenScopePermission, and reads need a login too."""

    def has_permission(self, request, view) -> bool:
        if not request.user.is_authenticated:
            self.message = "Authentication credentials were not provided."
            return False
        return super().has_permission(request, view)


def object_for(queryset, user, action: str = VIEW, **lookup):
    """One object of a workspace-owned model (a RestrictedQuerySet: datasets, charts, dashboards) that
    the user may see, else Http404; NotAllowed when seen but `action` is not allowed."""
    obj = first_or_none(queryset.restrict(user, VIEW).select_related("workspace"), lookup)
    if obj is None:
        raise Http404(f"No such {queryset.model._meta.verbose_name}.")
    if action != VIEW:
        require(user, action, obj.workspace)
    return obj


def first_or_none(queryset, lookup: dict):
    """The first match, or None, also when a lookup value is malformed (an id that is not a UUID)."""
    try:
        return queryset.filter(**lookup).first()
    except (ValidationError, ValueError):
        return None
