"""Reads of notifications, always those of one person."""

from django.db.models import QuerySet

from apps.live.models import Notification


def notifications_for(user) -> QuerySet[Notification]:
    """The caller's notifications, newest first (nobody else's are ever reachable)."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(user=user)


def unread_count(user) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()
