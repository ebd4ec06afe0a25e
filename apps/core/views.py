from django.shortcuts import render

from apps.accounts.selectors import workspaces_of
from apps.jobs.selectors import jobs_for
from apps.jobs.views import job_progress_props


def home_view(request):
    """Visitors see what Datamill is and the public data; members their workspaces and jobs."""
    context = {}
    if request.user.is_authenticated:
        jobs = list(jobs_for(request.user).select_related("workspace")[:10])
        context = {
            "workspaces": workspaces_of(request.user),
            "jobs": [(job, None if job.is_finished else job_progress_props(job)) for job in jobs],
        }
    return render(request, "core/home.html", context)
