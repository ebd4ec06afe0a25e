"""Recording audit events. Services call `audit_record` where they change something worth answering for."""

from django.db import models

from apps.audit.models import ACTIONS, AuditEvent
from apps.core.clients import request_client_address
from apps.core.logs import current_request


def audit_record(
    *, action: str, workspace=None, target: models.Model | None = None, details: dict | None = None, actor=None
) -> AuditEvent:
    """Append one event. The actor and address default to those of the request being answered (none in a
    worker: the event is then Datamill's own, like a version becoming ready)."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}")
    request = current_request.get()
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        actor = request.user if request.user.is_authenticated else None
    return AuditEvent.objects.create(
        workspace=workspace,
        actor=actor,
        actor_email=getattr(actor, "email", "") or "",
        action=action,
        target_type=target._meta.model_name if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:300] if target is not None else "",
        details=details or {},
        ip=client_address(request),
    )


def client_address(request) -> str | None:
    return None if request is None else request_client_address(request)
