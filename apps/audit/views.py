"""The activity page: a workspace's audit log for its owners."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from apps.audit import selectors
from apps.core import permissions

PAGE_SIZE = 50


@login_required
def activity_view(request, workspace: str):
    workspace = permissions.workspace_for(request.user, workspace, permissions.MANAGE)
    action, actor = request.GET.get("action", ""), request.GET.get("actor", "")
    events = selectors.workspace_events(workspace, action=action, actor=actor)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    return render(
        request,
        "audit/activity.html",
        {
            "workspace": workspace,
            "page": page,
            "actions": selectors.action_choices(),
            "actors": selectors.workspace_actors(workspace),
            "action": action,
            "actor": actor,
            "filter_query": filters.urlencode(),
        },
    )
