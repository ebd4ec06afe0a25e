"""The home page: it gathers every app's reads, so it lives above them all (apps never import it)."""

from django.shortcuts import render

from apps.accounts.selectors import workspaces_of
from apps.datasets.selectors import catalog_listing, public_datasets, versions_by_job
from apps.jobs.islands import job_progress_props
from apps.jobs.selectors import jobs_for


def home_view(request):
    """Visitors see what Datamill is and the public data; members their workspaces and jobs."""
    context = {"public_datasets": public_datasets()[:12]}
    if request.user.is_authenticated:
        jobs = list(jobs_for(request.user).select_related("workspace")[:10])
        versions = versions_by_job(request.user, [job.pk for job in jobs])
        context = {
            "workspaces": workspaces_of(request.user),
            "recent_datasets": catalog_listing(request.user)[:8],
            "jobs": [(job, versions.get(job.pk), None if job.is_finished else job_progress_props(job)) for job in jobs],
            # Still in the session that signed up: welcome, not "welcome back".
            "new_account": request.session.get("new_account", False),
        }
    return render(request, "core/home.html", context)
