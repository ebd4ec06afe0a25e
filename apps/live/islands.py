"""Props of the live islands, mirroring frontend/islands/notifications/props.ts and version-notice/props.ts."""

from django.urls import reverse

from apps.live import selectors


def notifications_props(user) -> dict:
    """Props of the notifications island (frontend/islands/notifications)."""
    return {
        "listUrl": reverse("api:notification-list"),
        "readUrl": reverse("api:notification-read"),
        "unread": selectors.unread_count(user),
    }


def version_notice_props(dataset) -> dict:
    """Props of the version-notice island (frontend/islands/version-notice)."""
    current = dataset.current_version
    return {
        "datasetId": str(dataset.pk),
        "apiUrl": reverse("api:dataset-detail", args=[dataset.pk]),
        "version": current.number if current is not None else 0,
        "url": dataset.get_absolute_url(),
    }
