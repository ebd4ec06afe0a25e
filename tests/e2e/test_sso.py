"""Single sign-on in Chromium against a real OpenID Connect provider process on loopback.

The provider is django-oauth-toolkit with OIDC (tests/oidc_provider/), its own process, database
and RSA key; Datamill discovers it from OIDC_ISSUER, like any other provider.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from apps.accounts import services
from apps.accounts.models import ExternalIdentity, User

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "datamill-test-client"
CLIENT_SECRET = "datamill-test-secret-0123456789"
IDP_USERS = [
    {"username": "alice", "password": "alice-at-the-idp", "email": "alice@corp.example", "name": "Alice"},
    {"username": "bob", "password": "bob-at-the-idp", "email": "bob@corp.example", "name": "Bob"},
    {"username": "carol", "password": "carol-at-the-idp", "email": "carol@corp.example", "verified": False},
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def oidc_provider(live_server, tmp_path, settings):
    """The provider process, and Datamill configured to use it."""
    port = free_port()
    issuer = f"http://127.0.0.1:{port}/o"
    log = (tmp_path / "idp.log").open("w")
    env = {
        **os.environ,
        "IDP_PORT": str(port),
        "IDP_DB": str(tmp_path / "idp.sqlite3"),
        "IDP_CLIENT_ID": CLIENT_ID,
        "IDP_CLIENT_SECRET": CLIENT_SECRET,
        "IDP_REDIRECT_URI": f"{live_server.url}/accounts/sso/callback/",
        "IDP_USERS": json.dumps(IDP_USERS),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "oidc_provider" / "serve.py")], env=env, stdout=log, stderr=log, cwd=ROOT
    )
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, (tmp_path / "idp.log").read_text()
        try:
            with urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=2) as response:
                assert json.load(response)["issuer"] == issuer
            break
        except OSError:
            assert time.monotonic() < deadline, "the OpenID Connect provider did not start within 60 s"
            time.sleep(0.2)
    settings.OIDC_ISSUER = issuer
    settings.OIDC_CLIENT_ID = CLIENT_ID
    settings.OIDC_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_NAME = "Corp ID"
    yield issuer
    process.terminate()
    process.wait(timeout=10)
    log.close()


def sign_in_at_the_provider(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Sign in with Corp ID").click()
    expect(page.get_by_role("heading", name="Test IdP")).to_be_visible()
    assert page.url.startswith("http://127.0.0.1:")  # really at the provider
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in at the IdP").click()


def test_first_sign_in_creates_the_account_and_its_workspace_then_signs_in_again(page, oidc_provider):
    sign_in_at_the_provider(page, "alice", "alice-at-the-idp")
    expect(page.get_by_role("heading", name="Welcome back, Alice")).to_be_visible()
    user = User.objects.get(email="alice@corp.example")
    assert not user.has_usable_password()
    assert user.workspaces.filter(is_personal=True).count() == 1
    identity = ExternalIdentity.objects.get(user=user)
    assert identity.issuer == oidc_provider

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    # Still signed in at the provider: one click brings the same account back.
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Sign in with Corp ID").click()
    expect(page.get_by_role("heading", name="Welcome back, Alice")).to_be_visible()
    assert User.objects.filter(email="alice@corp.example").count() == 1

    page.goto("/accounts/settings/")
    expect(page.get_by_text(f"at {oidc_provider}")).to_be_visible()
    expect(page.get_by_text("You sign in with single sign-on; this account has no password.")).to_be_visible()


def test_an_existing_account_with_the_verified_email_is_linked(page, oidc_provider, db):
    existing = services.user_create(email="bob@corp.example", password="bob's own datamill password", name="Bobby")
    sign_in_at_the_provider(page, "bob", "bob-at-the-idp")
    expect(page.get_by_role("heading", name="Welcome back, Bobby")).to_be_visible()
    assert ExternalIdentity.objects.get(issuer=oidc_provider).user == existing
    assert User.objects.filter(email="bob@corp.example").count() == 1


def test_an_unverified_email_creates_nothing(page, oidc_provider):
    sign_in_at_the_provider(page, "carol", "carol-at-the-idp")
    expect(page.get_by_text("Your identity provider did not confirm your e-mail address")).to_be_visible()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert not User.objects.filter(email="carol@corp.example").exists()
    assert not ExternalIdentity.objects.exists()


def test_a_callback_that_was_not_started_here_is_refused(page, oidc_provider):
    page.goto("/accounts/sso/callback/?code=stolen&state=guessed")
    expect(page.get_by_text("That sign-in link was stale or not started here")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in with Corp ID")).to_be_visible()
