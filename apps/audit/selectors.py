"""Reading the audit log: a workspace's events for its owners, a person's own token events."""

from apps.audit.models import ACTIONS, AuditEvent


def workspace_events(workspace, *, action: str = "", actor: str = ""):
    """Newest first, optionally only one action and one person (by e-mail)."""
    events = AuditEvent.objects.filter(workspace=workspace).select_related("actor")
    if action:
        events = events.filter(action=action)
    if actor:
        events = events.filter(actor_email__iexact=actor)
    return events


def personal_events(user):
    return AuditEvent.objects.filter(actor=user, workspace__isnull=True, action__startswith="token.")


def workspace_actors(workspace) -> list[str]:
    emails = (
        AuditEvent.objects.filter(workspace=workspace).exclude(actor_email="").values_list("actor_email", flat=True)
    )
    return sorted(set(emails))


def action_choices() -> list[tuple[str, str]]:
    return list(ACTIONS.items())
