from django.db.models import Q, QuerySet

from apps.core import permissions
from apps.jobs.models import Job


def jobs_for(user) -> QuerySet[Job]:
    """Jobs the user started, and jobs of workspaces the user can see."""
    if not user.is_authenticated:
        return Job.objects.none()
    return Job.objects.filter(Q(created_by=user) | Q(workspace__in=permissions.workspaces_for(user)))
