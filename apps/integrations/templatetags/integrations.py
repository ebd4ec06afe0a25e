"""The refresh panel of the dataset page, rendered from the schedule so the dataset view needs no change."""

from django import template
from django.conf import settings

from apps.core import permissions
from apps.datasets.url_import import redacted_url
from apps.integrations.forms import ScheduleForm, describe_cron
from apps.integrations.models import Schedule
from apps.integrations.refresh import url_of
from apps.jobs.islands import job_progress_props

register = template.Library()


@register.inclusion_tag("integrations/_schedule_panel.html", takes_context=True)
def schedule_panel(context, dataset):
    """Members see the schedule; editors also change it. Shown for URL-imported datasets only."""
    request = context["request"]
    if not permissions.can(request.user, permissions.VIEW, dataset.workspace):
        return {"show": False}
    schedule = Schedule.objects.filter(dataset=dataset).select_related("job").first()
    url = schedule.url if schedule else url_of(dataset)
    if not url:
        return {"show": False}
    can_change = permissions.can(request.user, permissions.CHANGE, dataset.workspace)
    initial = ScheduleForm.initial_for(schedule.cron, schedule.url) if schedule else {"url": url}
    job = schedule.job if schedule and schedule.job and not schedule.job.is_finished else None
    return {
        "show": True,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "dataset": dataset,
        "schedule": schedule,
        "can_change": can_change,
        # Editors manage the URL; viewers see it without credentials or query string (a key may travel there).
        "shown_url": (schedule.url if can_change else redacted_url(schedule.url)) if schedule else "",
        "form": ScheduleForm(initial=initial) if can_change else None,
        "time_zone": settings.TIME_ZONE,
        "when": describe_cron(schedule.cron) if schedule else "",
        "job_props": job_progress_props(job, redirect_on_success=request.path) if job else None,
    }
