from datetime import timedelta

from django.utils import timezone
from rest_framework.test import APIClient

from apps.accounts import services
from apps.accounts.models import ApiToken


def test_me_with_a_bearer_token(owner, token_client):
    response = token_client(owner, scope="read").get("/api/v1/me/")
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == "owner@example.com"
    assert body["token_scope"] == "read"
    assert {"workspace": "acme", "role": "owner"} not in body["workspaces"]  # no such workspace yet
    assert body["workspaces"][0]["role"] == "owner"


def test_me_without_credentials_is_a_401_with_an_error_body(api):
    response = api.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Bearer"


def test_revoked_token_is_refused(owner):
    token, secret = services.token_create(user=owner, name="ci")
    services.token_revoke(token=token)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert "invalid, expired or revoked" in response.json()["error"]["message"]


def test_expired_token_is_refused(owner):
    token, secret = services.token_create(user=owner, name="ci", expires_at=timezone.now() + timedelta(hours=1))
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.get("/api/v1/me/").status_code == 401


def test_read_token_cannot_write(owner, token_client):
    client = token_client(owner, scope="read")
    response = client.post("/api/v1/workspaces/", {"name": "New"}, format="json")
    assert response.status_code == 403
    assert "read scope" in response.json()["error"]["message"]
    assert client.get("/api/v1/workspaces/").status_code == 200


def test_write_token_can_write_without_csrf(owner, token_client):
    response = token_client(owner, scope="write").post("/api/v1/workspaces/", {"name": "Finance"}, format="json")
    assert response.status_code == 201
    assert response.json() == {
        **response.json(),
        "slug": "finance",
        "role": "owner",
    }


def test_session_writes_need_the_csrf_token(owner, session_client):
    client = session_client(owner)
    refused = client.post("/api/v1/tokens/", {"name": "x"}, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["error"]["message"]

    page = client.get("/accounts/settings/")
    csrf = page.cookies["csrftoken"].value
    accepted = client.post("/api/v1/tokens/", {"name": "x"}, format="json", HTTP_X_CSRFTOKEN=csrf)
    assert accepted.status_code == 201


def test_token_secret_is_shown_once(owner, session_client):
    client = APIClient()
    client.force_login(owner)
    created = client.post("/api/v1/tokens/", {"name": "laptop", "scope": "write"}, format="json").json()
    assert created["token"].startswith("dm_")
    assert created["prefix"] == created["token"][:10]
    listed = client.get("/api/v1/tokens/").json()
    assert listed["count"] == 1
    assert "token" not in listed["results"][0]
    assert created["token"] not in str(listed)


def test_token_validation_errors_name_the_field(owner):
    client = APIClient()
    client.force_login(owner)
    response = client.post("/api/v1/tokens/", {"name": "", "scope": "admin"}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert set(error["details"]) == {"name", "scope"}


def test_revoking_a_token_stops_it_at_once(owner):
    _, secret = services.token_create(user=owner, name="ci", scope="write")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    token_id = client.get("/api/v1/tokens/").json()["results"][0]["id"]
    assert client.delete(f"/api/v1/tokens/{token_id}/").status_code == 204
    assert client.get("/api/v1/me/").status_code == 401


def test_users_cannot_see_or_revoke_each_others_tokens(owner, outsider):
    theirs, _ = services.token_create(user=owner, name="owner's")
    client = APIClient()
    client.force_login(outsider)
    assert client.get("/api/v1/tokens/").json()["count"] == 0
    response = client.delete(f"/api/v1/tokens/{theirs.pk}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_other_workspace_is_a_404(workspace, outsider, viewer):
    client = APIClient()
    client.force_login(outsider)
    response = client.get("/api/v1/workspaces/acme/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    client.force_login(viewer)
    body = client.get("/api/v1/workspaces/acme/").json()
    assert body["role"] == "viewer"
    assert {m["email"] for m in body["members"]} == {"owner@example.com", "viewer@example.com"}


def test_unknown_api_path_is_a_json_404(api):
    response = api.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_throttled_requests_get_a_429_error_body(api, monkeypatch):
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    statuses = [api.get("/api/v1/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    error = api.get("/api/v1/").json()["error"]
    assert error["code"] == "throttled"
    assert error["details"]["wait_seconds"] > 0


def test_cors_allows_only_configured_origins(api, settings):
    response = api.get("/api/v1/", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in response
    settings.CORS_ALLOWED_ORIGINS = ["https://dash.example"]
    response = api.get("/api/v1/", HTTP_ORIGIN="https://dash.example")
    assert response["Access-Control-Allow-Origin"] == "https://dash.example"
