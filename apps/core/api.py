"""Plumbing every app's API shares: content negotiation for export endpoints, and the workspace a
caller may create things in. Refusals (the engine's QueryError) need no wrapper: the one exception
handler (`apps.core.exceptions`) answers them with a 400."""

from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation

from apps.accounts.models import Workspace
from apps.core import permissions


class IgnoreFormatParameter(DefaultContentNegotiation):
    """`format` is an export parameter (and may be a column to filter on), not a renderer choice."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def writable_workspace(user, slug: str, *, what: str) -> Workspace:
    """The workspace `slug` if the user may create `what` (datasets, dashboards…) in it, else a 400
    on the `workspace` field: the same answer whether it does not exist or is only readable."""
    workspace = permissions.workspaces_for(user, permissions.CHANGE).filter(slug=slug).first()
    if workspace is None:
        raise ValidationError({"workspace": [f"You cannot create {what} in “{slug}”."]})
    return workspace
