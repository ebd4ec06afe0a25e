from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from apps.accounts.models import Membership, User


def test_create_user_joins_a_workspace_with_a_role(db):
    call_command(
        "create_user",
        "--email",
        "boss@example.com",
        "--password",
        "pw-for-boss-123",
        "--workspace",
        "analytics",
        "--role",
        "owner",
        stdout=StringIO(),
    )
    call_command(
        "create_user",
        "--email",
        "ops@example.com",
        "--password",
        "pw-for-ops-123",
        "--workspace",
        "analytics",
        "--role",
        "editor",
        stdout=StringIO(),
    )
    user = User.objects.get(email="ops@example.com")
    assert user.check_password("pw-for-ops-123")
    assert Membership.objects.get(user=user, workspace__slug="analytics").role == "editor"
    assert Membership.objects.get(user__email="boss@example.com", workspace__slug="analytics").role == "owner"


def test_create_user_will_not_make_an_ownerless_workspace(db):
    with pytest.raises(CommandError, match="no workspace “team”"):
        call_command(
            "create_user",
            "--email",
            "v@example.com",
            "--password",
            "pw-for-v-123",
            "--workspace",
            "team",
            "--role",
            "viewer",
            stdout=StringIO(),
        )
    assert not User.objects.filter(email="v@example.com").exists()


def test_create_user_refuses_a_duplicate(make_user):
    make_user("ops@example.com")
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_user", "--email", "ops@example.com", "--password", "x", stdout=StringIO())


def test_create_token_prints_only_the_secret_and_it_works(make_user):
    make_user("ops@example.com")
    out = StringIO()
    call_command("create_token", "--email", "ops@example.com", "--name", "ci", "--scope", "write", stdout=out)
    secret = out.getvalue().strip()
    assert secret.startswith("dm_") and "\n" not in secret
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    body = client.get("/api/v1/me/").json()
    assert (body["email"], body["token_scope"]) == ("ops@example.com", "write")


def test_create_token_for_an_unknown_email_fails(db):
    with pytest.raises(CommandError, match="No account"):
        call_command("create_token", "--email", "ghost@example.com", "--name", "ci", stdout=StringIO())
