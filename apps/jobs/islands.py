"""Props of the jobs' island, mirroring frontend/islands/job-progress/props.ts."""

from django.urls import reverse

from apps.jobs.models import Job


def job_progress_props(job: Job, redirect_on_success: str | None = None) -> dict:
    """Props of the job-progress island (frontend/islands/job-progress)."""
    return {
        "jobId": str(job.id),
        "apiUrl": reverse("api:job-detail", args=[job.id]),
        "pollMs": 1000,
        "redirectOnSuccess": redirect_on_success,
    }
