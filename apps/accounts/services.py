"""Writes for people, workspaces, memberships and tokens."""

import secrets
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import ApiToken, Membership, Role, TokenScope, User, Workspace
from apps.audit.services import audit_record
from apps.core import permissions
from apps.core.slugs import unique_slug


def unique_workspace_slug(name: str) -> str:
    return unique_slug(Workspace.objects.all(), name, fallback="workspace", max_length=50, reserved={"new"})


@transaction.atomic
def workspace_create(*, name: str, owner: User, slug: str = "", is_personal: bool = False) -> Workspace:
    """A workspace with `owner` as its first owner."""
    slug = slug or unique_workspace_slug(name)
    if slug == "new" or Workspace.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": f"The address “{slug}” is taken."})
    workspace = Workspace.objects.create(name=name, slug=slug, is_personal=is_personal)
    Membership.objects.create(workspace=workspace, user=owner, role=Role.OWNER)
    permissions.forget_roles(owner)
    return workspace


@transaction.atomic
def user_create(*, email: str, password: str | None, name: str = "") -> User:
    """A new account and its personal workspace."""
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "An account with this email already exists."})
    user = User.objects.create_user(email=email, password=password, name=name)
    workspace_create(name=f"{user.display_name}'s workspace", owner=user, is_personal=True)
    return user


@transaction.atomic
def membership_set(*, workspace: Workspace, user: User, role: str) -> Membership:
    """Add `user` to the workspace with `role`, or change their role."""
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role “{role}”."})
    membership, created = Membership.objects.select_for_update().get_or_create(
        workspace=workspace, user=user, defaults={"role": role}
    )
    if created:
        audit_record(action="member.added", workspace=workspace, target=user, details={"role": role})
    elif membership.role != role:
        if membership.role == Role.OWNER:
            ensure_another_owner(workspace, user)
        audit_record(
            action="member.role_changed",
            workspace=workspace,
            target=user,
            details={"from": membership.role, "to": role},
        )
        membership.role = role
        membership.save(update_fields=["role"])
    permissions.forget_roles(user)
    return membership


@transaction.atomic
def membership_remove(*, workspace: Workspace, user: User) -> None:
    membership = Membership.objects.select_for_update().filter(workspace=workspace, user=user).first()
    if membership is None:
        return
    if membership.role == Role.OWNER:
        ensure_another_owner(workspace, user)
    membership.delete()
    audit_record(action="member.removed", workspace=workspace, target=user, details={"role": membership.role})
    permissions.forget_roles(user)


def ensure_another_owner(workspace: Workspace, leaving: User) -> None:
    others = Membership.objects.filter(workspace=workspace, role=Role.OWNER).exclude(user=leaving)
    if not others.exists():
        raise ValidationError("A workspace needs at least one owner; make someone else owner first.")


def token_create(
    *, user: User, name: str, scope: str = TokenScope.READ, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token and its secret. The secret is returned once and never stored."""
    if scope not in TokenScope.values:
        raise ValidationError({"scope": f"Unknown scope “{scope}”; use read or write."})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "The expiry must be in the future."})
    secret = ApiToken.SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        scope=scope,
        prefix=secret[:10],
        secret_hash=ApiToken.hash_secret(secret),
        expires_at=expires_at,
    )
    audit_record(action="token.created", actor=user, target=token, details={"scope": scope})
    return token, secret


def token_revoke(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(action="token.revoked", actor=token.user, target=token)


def token_authenticate(secret: str) -> ApiToken | None:
    """The usable token with this secret, its last use recorded; None otherwise."""
    token = ApiToken.objects.select_related("user").filter(secret_hash=ApiToken.hash_secret(secret)).first()
    if token is None or not token.is_usable() or not token.user.is_active:
        return None
    now = timezone.now()
    # Write at most once a minute per token: reads stay cheap under heavy script use.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
