"""What happens when a version's ingest ends: the refresh that made it is settled, webhooks are told."""

from apps.datasets.models import Version
from apps.integrations import refresh, webhooks
from apps.integrations.models import WebhookEvent


def version_data(version: Version) -> dict:
    return {"number": version.number, "row_count": version.row_count, "error": version.error or None}


def version_event_handle(*, version: Version, event: str) -> None:
    """`event` is version.ready or version.failed, sent by the datasets app once the outcome is committed."""
    if event not in (WebhookEvent.VERSION_READY, WebhookEvent.VERSION_FAILED):
        raise ValueError(f"Not a version event: {event!r}")
    refresh.version_settled(version=version, event=event)
    webhooks.event_send(
        workspace=version.dataset.workspace,
        event=event,
        data={"dataset": webhooks.dataset_data(version.dataset), "version": version_data(version)},
    )
