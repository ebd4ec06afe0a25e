"""The queryset of every workspace-owned model: `restrict(user, action)` keeps what the user may do
`action` on (NetBox's RestrictedQuerySet), so the permission layer scopes any model the same way."""

from django.db import models

from apps.core.permissions import VIEW, workspaces_for


class RestrictedQuerySet(models.QuerySet):
    """For models with a `workspace` foreign key. A model whose objects may also be public (datasets)
    widens `restrict` for VIEW."""

    def restrict(self, user, action: str = VIEW):
        return self.filter(workspace__in=workspaces_for(user, action))
