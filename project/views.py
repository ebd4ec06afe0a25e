"""The home page: it gathers every app's reads, so it lives above them all (apps never import it)."""

import datetime

from django.shortcuts import render

from apps.accounts.selectors import workspaces_of
from apps.datasets.selectors import catalog_listing, public_datasets, versions_by_job
from apps.jobs.islands import job_progress_props
from apps.jobs.selectors import jobs_for


def is_new_account(user) -> bool:
    return user.last_login is None or user.last_login - user.date_joined < datetime.timedelta(minutes=1)


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
            # Signed up moments ago and still in that first session: welcome, not "welcome back".
            "new_account": is_new_account(request.user),
        }
    return render(request, "core/home.html", context)
