"""Pages: the workspace settings page (webhooks) and the refresh-schedule actions of the dataset page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apps.core import permissions
from apps.datasets.selectors import dataset_for
from apps.integrations import refresh, selectors, webhooks
from apps.integrations.forms import ScheduleForm, WebhookForm
from apps.integrations.models import Schedule

SHOWN_ONCE_SESSION_KEY = "integrations.new_webhook_secret"
DELIVERIES_SHOWN = 10


@login_required
def settings_view(request, workspace: str):
    """Webhooks of the workspace (owners): add one, see its secret once, send a test, read the log."""
    workspace_obj = permissions.workspace_for(request.user, workspace)
    is_owner = permissions.can(request.user, permissions.MANAGE, workspace_obj)
    form = WebhookForm(request.POST or None)
    if request.method == "POST":
        permissions.require(request.user, permissions.MANAGE, workspace_obj)
        if form.is_valid():
            try:
                webhook = webhooks.webhook_create(workspace=workspace_obj, created_by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                request.session[SHOWN_ONCE_SESSION_KEY] = {"id": str(webhook.pk), "secret": webhook.secret}
                messages.success(request, "Webhook added. Copy its signing secret now: it is not shown again.")
                return redirect("integrations:settings", workspace=workspace_obj.slug)
    hooks = []
    if is_owner:
        new_secret = request.session.pop(SHOWN_ONCE_SESSION_KEY, None)
        for hook in selectors.webhooks_of(workspace_obj):
            hooks.append(
                {
                    "hook": hook,
                    "secret": new_secret["secret"] if new_secret and new_secret["id"] == str(hook.pk) else "",
                    "deliveries": list(selectors.deliveries_of(hook)[:DELIVERIES_SHOWN]),
                }
            )
    context = {"workspace": workspace_obj, "is_owner": is_owner, "form": form, "hooks": hooks}
    return render(request, "integrations/settings.html", context)


def owned_webhook(request, workspace: str, webhook_id: str):
    workspace_obj = permissions.workspace_for(request.user, workspace, permissions.MANAGE)
    return workspace_obj, permissions.first_or_none(selectors.webhooks_of(workspace_obj), {"pk": webhook_id})


@require_POST
@login_required
def webhook_test_view(request, workspace: str, webhook_id: str):
    workspace_obj, webhook = owned_webhook(request, workspace, webhook_id)
    if webhook is not None:
        webhooks.webhook_test(webhook=webhook)
        messages.info(request, "Test event sent; its delivery appears in the log below (reload to see the answer).")
    return redirect("integrations:settings", workspace=workspace_obj.slug)


@require_POST
@login_required
def webhook_delete_view(request, workspace: str, webhook_id: str):
    workspace_obj, webhook = owned_webhook(request, workspace, webhook_id)
    if webhook is not None:
        webhooks.webhook_delete(webhook=webhook)
        messages.success(request, f"Webhook to {webhook.url} deleted.")
    return redirect("integrations:settings", workspace=workspace_obj.slug)


@require_POST
@login_required
def schedule_view(request, workspace: str, dataset: str):
    """Save, pause, resume or stop the dataset's refresh schedule (editors), then back to the dataset."""
    dataset_obj = dataset_for(request.user, permissions.CHANGE, workspace__slug=workspace, slug=dataset)
    schedule = Schedule.objects.filter(dataset=dataset_obj).first()
    action = request.POST.get("action", "save")
    try:
        if action == "delete" and schedule:
            refresh.schedule_delete(schedule=schedule)
            messages.success(request, "Scheduled refresh stopped. The versions stay.")
        elif action in ("pause", "resume") and schedule:
            refresh.schedule_set(
                dataset=dataset_obj,
                cron=schedule.cron,
                url=schedule.url,
                paused=action == "pause",
                created_by=request.user,
            )
            messages.success(request, "Refresh paused." if action == "pause" else "Refresh resumed.")
        else:
            form = ScheduleForm(request.POST)
            if not form.is_valid():
                errors = [e for field_errors in form.errors.values() for e in field_errors]
                raise ValidationError(errors)
            data = form.cleaned_data
            refresh.schedule_set(dataset=dataset_obj, cron=data["cron"], url=data["url"], created_by=request.user)
            messages.success(request, "Refresh schedule saved.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(dataset_obj.get_absolute_url() + "#refresh")


@require_POST
@login_required
def refresh_now_view(request, workspace: str, dataset: str):
    dataset_obj = dataset_for(request.user, permissions.CHANGE, workspace__slug=workspace, slug=dataset)
    schedule = Schedule.objects.filter(dataset=dataset_obj).first()
    if schedule is None:
        messages.error(request, "Set a refresh schedule first.")
    else:
        refresh.refresh_start(schedule=schedule, created_by=request.user)
        messages.info(request, "Refreshing now: a new version appears only if the file changed.")
    return redirect(dataset_obj.get_absolute_url() + "#refresh")
