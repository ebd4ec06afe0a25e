from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.accounts import services
from apps.accounts.models import ApiToken, Membership, Role


def test_signup_creates_a_personal_workspace_owned_by_the_user(db):
    user = services.user_create(email="Ana@Example.com", password="s3cret-enough", name="Ana")
    assert user.email == "ana@example.com"
    membership = Membership.objects.get(user=user)
    assert membership.role == Role.OWNER
    assert membership.workspace.is_personal
    assert membership.workspace.name == "Ana's workspace"


def test_duplicate_email_is_refused_whatever_the_case(make_user):
    make_user("ana@example.com")
    with pytest.raises(ValidationError, match="already exists"):
        services.user_create(email="ANA@example.com", password="x")


def test_workspace_slugs_stay_unique(owner):
    first = services.workspace_create(name="Sales", owner=owner)
    second = services.workspace_create(name="Sales", owner=owner)
    assert (first.slug, second.slug) == ("sales", "sales-2")


def test_last_owner_cannot_leave_or_be_demoted(workspace, owner, editor):
    with pytest.raises(ValidationError, match="at least one owner"):
        services.membership_remove(workspace=workspace, user=owner)
    with pytest.raises(ValidationError, match="at least one owner"):
        services.membership_set(workspace=workspace, user=owner, role=Role.VIEWER)
    services.membership_set(workspace=workspace, user=editor, role=Role.OWNER)
    services.membership_remove(workspace=workspace, user=owner)
    assert not workspace.memberships.filter(user=owner).exists()


def test_token_secret_is_not_stored_and_authenticates(owner):
    token, secret = services.token_create(user=owner, name="ci", scope="read")
    assert secret.startswith("dm_") and len(secret) > 40
    assert secret not in {token.secret_hash, token.prefix}
    assert ApiToken.objects.filter(secret_hash=ApiToken.hash_secret(secret)).count() == 1
    assert services.token_authenticate(secret) == token
    assert services.token_authenticate(secret + "x") is None


def test_revoked_and_expired_tokens_do_not_authenticate(owner):
    token, secret = services.token_create(user=owner, name="ci")
    services.token_revoke(token=token)
    assert services.token_authenticate(secret) is None

    token, secret = services.token_create(user=owner, name="soon", expires_at=timezone.now() + timedelta(seconds=60))
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert services.token_authenticate(secret) is None


def test_token_expiry_must_be_in_the_future(owner):
    with pytest.raises(ValidationError, match="future"):
        services.token_create(user=owner, name="x", expires_at=timezone.now() - timedelta(days=1))


def test_slugs_never_shadow_the_new_workspace_page(owner):
    assert services.workspace_create(name="New", owner=owner).slug == "new-2"
    with pytest.raises(ValidationError, match="taken"):
        services.workspace_create(name="Anything", slug="new", owner=owner)
