"""JWT for front ends deployed apart: obtain, rotate, reuse refused, revoke, expiry, read scope, limits."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

PASSWORD = "correct horse battery staple"


@pytest.fixture
def person(make_user):
    return make_user("jay@example.com", password=PASSWORD, name="Jay")


def obtain(api, email="jay@example.com", password=PASSWORD, **extra):
    return api.post("/api/v1/auth/jwt/", {"email": email, "password": password, **extra}, format="json")


def bearer(access: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def test_obtain_gives_a_pair_whose_access_token_works_on_the_api(api, person):
    response = obtain(api)
    assert response.status_code == 200
    pair = response.json()
    assert set(pair) == {"access", "refresh"}
    me = bearer(pair["access"]).get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["email"] == "jay@example.com"
    assert me.json()["token_scope"] == "write"
    # It may write: create a workspace.
    created = bearer(pair["access"]).post("/api/v1/workspaces/", {"name": "Jay's team"}, format="json")
    assert created.status_code == 201


def test_wrong_password_is_a_401_with_the_error_body(api, person):
    response = obtain(api, password="nope")
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "That email and password do not match an account."


def test_missing_fields_are_a_400_naming_them(api):
    response = api.post("/api/v1/auth/jwt/", {"email": "not an address"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["error"]["details"]) == {"email", "password"}


def test_failed_attempts_count_against_the_login_limits_shared_with_the_login_page(api, client, person, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT_AND_IP = 3
    for _ in range(3):
        assert obtain(api, password="wrong").status_code == 401
    limited = obtain(api)  # even the right password waits now
    assert limited.status_code == 429
    assert "Too many failed sign-in attempts for this account" in limited.json()["error"]["message"]
    assert limited.json()["error"]["details"]["wait_seconds"] > 0
    page = client.post("/accounts/login/", {"email": "jay@example.com", "password": PASSWORD})
    assert page.status_code == 429  # the login page counts the same failures


def test_refresh_rotates_and_a_used_refresh_token_is_refused(api, person):
    first = obtain(api).json()
    rotated = api.post("/api/v1/auth/jwt/refresh/", {"refresh": first["refresh"]}, format="json")
    assert rotated.status_code == 200
    second = rotated.json()
    assert set(second) == {"access", "refresh"}
    assert second["refresh"] != first["refresh"]
    assert bearer(second["access"]).get("/api/v1/me/").status_code == 200

    reused = api.post("/api/v1/auth/jwt/refresh/", {"refresh": first["refresh"]}, format="json")
    assert reused.status_code == 401
    assert reused.json()["error"]["code"] == "token_not_valid"
    # The new one still works, once.
    assert api.post("/api/v1/auth/jwt/refresh/", {"refresh": second["refresh"]}, format="json").status_code == 200


def test_revoke_ends_the_refresh_token(api, person):
    pair = obtain(api).json()
    revoked = api.post("/api/v1/auth/jwt/revoke/", {"refresh": pair["refresh"]}, format="json")
    assert revoked.status_code == 204
    assert api.post("/api/v1/auth/jwt/refresh/", {"refresh": pair["refresh"]}, format="json").status_code == 401
    # Revoking twice is fine; a forged token is a 400.
    assert api.post("/api/v1/auth/jwt/revoke/", {"refresh": pair["refresh"]}, format="json").status_code == 204
    forged = api.post("/api/v1/auth/jwt/revoke/", {"refresh": pair["refresh"][:-4] + "abcd"}, format="json")
    assert forged.status_code == 400
    assert "refresh" in forged.json()["error"]["details"]


def test_an_expired_access_token_is_a_401(api, person, settings):
    access = AccessToken(obtain(api).json()["access"])
    access.set_exp(lifetime=-timedelta(seconds=1))
    response = bearer(str(access)).get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_not_valid"


def test_lifetimes_come_from_the_environment():
    """JWT_ACCESS_SECONDS and JWT_REFRESH_DAYS, read by a fresh process as `make run` would."""
    code = (
        "import django; django.setup(); from rest_framework_simplejwt.tokens import AccessToken, RefreshToken; "
        "print(int(AccessToken.lifetime.total_seconds()), RefreshToken.lifetime.days)"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "project.settings",
        "JWT_ACCESS_SECONDS": "42",
        "JWT_REFRESH_DAYS": "3",
    }
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.split() == ["42", "3"]


def test_a_read_scope_token_reads_but_cannot_write(api, person, workspace, make_dataset):
    pair = obtain(api, scope="read").json()
    client = bearer(pair["access"])
    me = client.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["token_scope"] == "read"
    refused = client.post("/api/v1/workspaces/", {"name": "Nope"}, format="json")
    assert refused.status_code == 403
    assert "read scope" in refused.json()["error"]["message"]
    # Rotation keeps the scope.
    rotated = api.post("/api/v1/auth/jwt/refresh/", {"refresh": pair["refresh"]}, format="json").json()
    assert bearer(rotated["access"]).post("/api/v1/workspaces/", {"name": "Nope"}, format="json").status_code == 403


def test_a_password_change_ends_earlier_tokens(api, person):
    pair = obtain(api).json()
    person.set_password("a different long passphrase")
    person.save()
    assert bearer(pair["access"]).get("/api/v1/me/").status_code == 401
    assert api.post("/api/v1/auth/jwt/refresh/", {"refresh": pair["refresh"]}, format="json").status_code == 401


def test_a_stale_bearer_header_does_not_block_signing_in(person):
    client = bearer("dm_revoked-or-made-up")
    assert obtain(client).status_code == 200


def test_every_kind_of_bearer_reaches_its_own_checker(api, person, token_client):
    """A garbage JWT, personal token or OAuth token each get their own 401 message, never a 500."""
    assert "API token" in bearer("dm_nothing").get("/api/v1/me/").json()["error"]["message"]
    assert "access token is invalid" in bearer("a.b.c").get("/api/v1/me/").json()["error"]["message"]
    assert "OAuth2" in bearer("plainopaquevalue").get("/api/v1/me/").json()["error"]["message"]
    assert token_client(person).get("/api/v1/me/").status_code == 200


def test_the_token_endpoints_are_in_the_openapi_document(api):
    paths = api.get("/api/schema/?format=json").json()["paths"]
    for path in ("/api/v1/auth/jwt/", "/api/v1/auth/jwt/refresh/", "/api/v1/auth/jwt/revoke/"):
        assert "post" in paths[path], path
    obtain = paths["/api/v1/auth/jwt/"]["post"]
    assert obtain["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/JwtPair")
    assert "204" in paths["/api/v1/auth/jwt/revoke/"]["post"]["responses"]


def test_expired_refresh_records_are_cleared_and_live_ones_kept(api, person):
    from django.utils import timezone
    from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

    from apps.accounts.tasks import clear_expired_credentials

    live = obtain(api).json()
    obtain(api)
    OutstandingToken.objects.filter(pk=OutstandingToken.objects.order_by("pk").last().pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    clear_expired_credentials()
    assert OutstandingToken.objects.count() == 1
    assert api.post("/api/v1/auth/jwt/refresh/", {"refresh": live["refresh"]}, format="json").status_code == 200


def test_read_scope_on_datasets_reads_and_queries_but_cannot_change(api, make_user, workspace, make_dataset):
    from apps.accounts import services

    editor = make_user("ed@example.com", password=PASSWORD)
    services.membership_set(workspace=workspace, user=editor, role="editor")
    dataset = make_dataset(workspace)
    read = bearer(obtain(api, email="ed@example.com", scope="read").json()["access"])
    write = bearer(obtain(api, email="ed@example.com").json()["access"])

    assert read.get(f"/api/v1/datasets/{dataset.id}/rows/").status_code == 200
    query = {"group_by": ["weather"], "measures": [{"fn": "count"}]}
    assert read.post(f"/api/v1/datasets/{dataset.id}/query/", query, format="json").status_code == 200
    assert read.patch(f"/api/v1/datasets/{dataset.id}/", {"title": "Renamed"}, format="json").status_code == 403
    assert write.patch(f"/api/v1/datasets/{dataset.id}/", {"title": "Renamed"}, format="json").status_code == 200
