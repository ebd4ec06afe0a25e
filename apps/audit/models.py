"""The audit log: who did what to which object, when and from which address. Rows are only ever added."""

from django.conf import settings
from django.db import models

ACTIONS = {
    "dataset.created": "Dataset created",
    "dataset.updated": "Dataset changed",
    "dataset.deleted": "Dataset deleted",
    "version.ready": "Version ready",
    "version.failed": "Version failed",
    "recipe.changed": "Recipe changed",
    "dataset.copied_out": "Data copied into a derived dataset",
    "share_link.created": "Share link created",
    "share_link.revoked": "Share link revoked",
    "member.added": "Member added",
    "member.removed": "Member removed",
    "member.role_changed": "Member's role changed",
    "invitation.sent": "Invitation sent",
    "invitation.revoked": "Invitation withdrawn",
    "token.created": "API token created",
    "token.revoked": "API token revoked",
    "token.revoked_all": "All API tokens revoked",
    "webhook.created": "Webhook added",
    "webhook.deleted": "Webhook removed",
    "schedule.changed": "Refresh schedule changed",
    "schedule.deleted": "Refresh schedule removed",
}


class AuditEvent(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    workspace = models.ForeignKey(
        "accounts.Workspace", null=True, blank=True, on_delete=models.CASCADE, related_name="audit_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as written, so the log still names people and objects after they are deleted.
    actor_email = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=40, db_index=True)
    target_type = models.CharField(max_length=40, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=300, blank=True)
    details = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["workspace", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_email or 'system'} {self.action} {self.target_label}"

    @property
    def actor_label(self) -> str:
        return self.actor_email or "Datamill"

    def get_action_display(self) -> str:
        return ACTIONS.get(self.action, self.action)

    @property
    def target(self) -> dict:
        return {"type": self.target_type, "id": self.target_id, "label": self.target_label}
