"""Writes for people, workspaces, memberships, tokens, invitations, OAuth2 applications and SSO."""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import AccessToken, Application, Grant, RefreshToken, clear_expired
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from apps.accounts.models import (
    ApiToken,
    AuthorizationCodeUse,
    ExternalIdentity,
    Invitation,
    Membership,
    OAuthApplicationPolicy,
    Role,
    TokenScope,
    User,
    Workspace,
)
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


@transaction.atomic
def tokens_revoke_all(*, user: User) -> int:
    """Revoke every personal API token of `user` that still works; returns how many."""
    now = timezone.now()
    live = ApiToken.objects.filter(user=user, revoked_at__isnull=True).exclude(expires_at__lte=now)
    count = live.update(revoked_at=now)
    if count:
        audit_record(action="token.revoked_all", actor=user, target=user, details={"count": count})
    return count


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


ROLE_ORDER = [Role.VIEWER, Role.EDITOR, Role.OWNER]


def invitation_create(
    *, workspace: Workspace, email: str, role: str, invited_by: User, base_url: str
) -> tuple[Invitation, str]:
    """Invite `email` into the workspace as `role` and e-mail the link; returns it and the link.

    A pending invitation of the same address is withdrawn, so only the newest link works.
    """
    email = User.objects.normalize_email(email).lower()
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role “{role}”."})
    if Membership.objects.filter(workspace=workspace, user__email__iexact=email).exists():
        raise ValidationError({"email": f"{email} is already a member of this workspace."})
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        now = timezone.now()
        pending_of(workspace).filter(email__iexact=email).update(revoked_at=now)
        invitation = Invitation.objects.create(
            workspace=workspace,
            email=email,
            role=role,
            secret_hash=Invitation.hash_secret(secret),
            invited_by=invited_by,
            expires_at=now + timedelta(days=settings.INVITATION_DAYS),
        )
        audit_record(action="invitation.sent", workspace=workspace, target=invitation, details={"role": role})
        link = f"{base_url.rstrip('/')}/invite/{secret}/"
        context = {"invitation": invitation, "link": link, "days": settings.INVITATION_DAYS}
        subject = f"{invited_by.display_name} invited you to {workspace.name} on Datamill"
        body = render_to_string("accounts/invitation_email.txt", context)
        transaction.on_commit(lambda: send_mail(subject, body, None, [email]))
    return invitation, link


def pending_of(workspace: Workspace):
    return Invitation.objects.filter(
        workspace=workspace, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )


def invitation_revoke(*, invitation: Invitation) -> None:
    if Invitation.objects.filter(pk=invitation.pk, revoked_at__isnull=True).update(revoked_at=timezone.now()):
        audit_record(action="invitation.revoked", workspace=invitation.workspace, target=invitation)


def invitation_find(secret: str) -> Invitation | None:
    """The invitation behind a link (usable or not), or None for a link that never existed."""
    return Invitation.objects.select_related("workspace").filter(secret_hash=Invitation.hash_secret(secret)).first()


@transaction.atomic
def invitation_accept(*, secret: str, user: User) -> Invitation:
    """Add `user` to the invitation's workspace with its role and use the invitation up.

    Raises ValidationError when the link is unknown, used, withdrawn or expired, or was sent to
    another address. Locked, so one link never makes two members.
    """
    invitation = Invitation.objects.select_for_update().filter(secret_hash=Invitation.hash_secret(secret)).first()
    if invitation is None:
        raise ValidationError("This invitation link is not valid.")
    refusal = invitation.refusal()
    if refusal:
        raise ValidationError(refusal)
    if invitation.email.lower() != user.email.lower():
        raise ValidationError(
            f"This invitation was sent to {invitation.email}, and you are signed in as {user.email}. "
            "Sign out, then open the link again."
        )
    current = Membership.objects.filter(workspace=invitation.workspace, user=user).first()
    if current is None or ROLE_ORDER.index(current.role) < ROLE_ORDER.index(invitation.role):
        membership_set(workspace=invitation.workspace, user=user, role=invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return invitation


@transaction.atomic
def invitation_sign_up(*, secret: str, password: str, name: str = "") -> tuple[User, Invitation]:
    """A new account for the invited address, its personal workspace, and the invited membership."""
    invitation = invitation_find(secret)
    if invitation is None:
        raise ValidationError("This invitation link is not valid.")
    user = user_create(email=invitation.email, password=password, name=name)
    return user, invitation_accept(secret=secret, user=user)


@transaction.atomic
def oauth_application_create(
    *, user: User, name: str, client_type: str, redirect_uris: str, loopback_any_port: bool = False
) -> tuple[Application, str | None]:
    """Register an OAuth2 application (authorization code grant) owned by `user`.

    Its redirect URIs match exactly, unless `loopback_any_port` lets its loopback ones match on any port.
    Returns it and, for a confidential client, its secret: shown once, only a hash is kept. Raises
    ValidationError, in sentences, for redirect URIs the toolkit refuses.
    """
    secret = generate_client_secret()
    application = Application(
        user=user,
        name=name,
        client_type=client_type,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(redirect_uris.split()),
        client_secret=secret,
    )
    try:
        application.full_clean()
    except ValidationError as error:  # the toolkit's text ("invalid_scheme: ftp://x") is not for people
        fields = getattr(error, "error_dict", {})
        if "redirect_uris" in fields:
            raise ValidationError({"redirect_uris": "One of these is not a redirect URI Datamill accepts."}) from None
        raise
    application.save()
    OAuthApplicationPolicy.objects.create(application=application, loopback_any_port=loopback_any_port)
    return application, secret if client_type == Application.CLIENT_CONFIDENTIAL else None


def oauth_application_delete(*, application: Application) -> None:
    application.delete()  # its grants and tokens go with it


@transaction.atomic
def oauth_authorization_revoke(*, user: User, application: Application) -> None:
    """Every token and pending grant `application` holds for `user` stops working now."""
    for refresh in RefreshToken.objects.filter(user=user, application=application, revoked__isnull=True):
        refresh.revoke()
    AccessToken.objects.filter(user=user, application=application).delete()
    Grant.objects.filter(user=user, application=application).delete()


def expired_credentials_clear() -> None:
    """Delete expired JWT refresh records (their blacklist entries go with them) and expired OAuth2 tokens."""
    OutstandingToken.objects.filter(expires_at__lte=timezone.now()).delete()
    clear_expired()
    # A code lives a minute; a replay long after its exchange is no longer worth a record per code.
    AuthorizationCodeUse.objects.filter(used_at__lte=timezone.now() - timedelta(days=30)).delete()


class SignInRefused(Exception):
    """Single sign-on cannot sign this person in; the message says why, for the login page."""


@transaction.atomic
def sso_sign_in(*, issuer: str, claims: dict) -> User:
    """The account for an OpenID Connect identity: linked before, found by verified e-mail, or new.

    A new account (with its personal workspace) or a link to an existing one needs an e-mail claim
    the provider marks as verified; raises SignInRefused otherwise.
    """
    subject = str(claims.get("sub") or "")
    if not subject:
        raise SignInRefused("The identity provider did not say who you are (no subject).")
    email = User.objects.normalize_email(str(claims.get("email") or "")).lower()
    identity = ExternalIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    if identity is None:
        # Some providers send the claim as the string "true".
        if not email or str(claims.get("email_verified")).lower() != "true":
            raise SignInRefused(
                "Your identity provider did not confirm your e-mail address, so no account can be "
                "created or linked. Confirm it there, or sign in with a password."
            )
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            name = str(claims.get("name") or "")[:150]
            user = user_create(email=email, password=None, name=name)
        identity = ExternalIdentity.objects.create(user=user, issuer=issuer, subject=subject)
    user = identity.user
    if not user.is_active:
        raise SignInRefused("This account is disabled.")
    identity.email = email
    identity.last_login_at = timezone.now()
    identity.save(update_fields=["email", "last_login_at"])
    return user
