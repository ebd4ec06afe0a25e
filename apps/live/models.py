"""What a person is told about: job outcomes, new versions in their workspaces, failed refreshes."""

from django.conf import settings
from django.db import models


class Notification(models.Model):
    """One message for one person; the bell in the header lists them, newest first."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40)
    message = models.CharField(max_length=500)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}: {self.message[:40]}"

    @property
    def read(self) -> bool:
        return self.read_at is not None
