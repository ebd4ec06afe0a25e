"""Plumbing every app's API shares: content negotiation for export endpoints, and the workspace a
caller may create things in. Refusals (the engine's QueryError) need no wrapper: the one exception
handler (`apps.core.exceptions`) answers them with a 400."""

from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation

from apps.accounts.models import Workspace
from apps.core import permissions


class IgnoreFormatParameter(DefaultContentNegotiation):
    """`format` is an export parameter (and may be a column to filter on), not a renderer choice."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


CSV_FORMULAS_PARAMETER = OpenApiParameter(
    "csv_formulas",
    str,
    enum=["escape", "raw"],
    description=(
        "CSV only. `escape` (default): a text cell starting with =, +, -, @, tab or carriage return gets a "
        "leading ' so a spreadsheet shows it instead of running it as a formula. `raw`: the exact values, "
        "for programs."
    ),
)


def csv_formulas_of(params) -> str:
    """The `csv_formulas` parameter (popped from the mutable query dict `params`): "escape" or "raw"."""
    value = params.pop("csv_formulas", ["escape"])[-1]
    if value not in ("escape", "raw"):
        raise ValidationError({"csv_formulas": ["Use escape or raw."]})
    return value


def writable_workspace(user, slug: str, *, what: str) -> Workspace:
    """The workspace `slug` if the user may create `what` (datasets, dashboards…) in it, else a 400
    on the `workspace` field: the same answer whether it does not exist or is only readable."""
    workspace = permissions.workspaces_for(user, permissions.CHANGE).filter(slug=slug).first()
    if workspace is None:
        raise ValidationError({"workspace": [f"You cannot create {what} in “{slug}”."]})
    return workspace
