"""Reads of schedules, webhooks and deliveries, scoped to what the caller may see."""

from django.db.models import QuerySet

from apps.core import permissions
from apps.datasets.models import Dataset
from apps.integrations.models import Delivery, Schedule, Webhook


def schedule_for(user, dataset: Dataset) -> Schedule | None:
    """The dataset's schedule for members of its workspace; outsiders see none, even on public datasets
    (a URL may carry a secret)."""
    if not permissions.can(user, permissions.VIEW, dataset.workspace):
        return None
    return Schedule.objects.filter(dataset=dataset).first()


def webhooks_of(workspace) -> QuerySet[Webhook]:
    return Webhook.objects.filter(workspace=workspace).order_by("created_at")


def deliveries_of(webhook: Webhook) -> QuerySet[Delivery]:
    return Delivery.objects.filter(webhook=webhook).order_by("-created_at", "-id")
