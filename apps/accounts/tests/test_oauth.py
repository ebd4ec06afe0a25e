"""Datamill as an OAuth2 provider, through the real endpoints: register, consent, code + PKCE, scopes, revoke."""

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from rest_framework.test import APIClient

REDIRECT = "https://notebook.example.org/callback"


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def register(client: Client, client_type: str, name: str = "Notebook") -> tuple[str, str | None]:
    response = client.post("/accounts/apps/", {"name": name, "client_type": client_type, "redirect_uris": REDIRECT})
    assert response.status_code == 200, response.content
    assert f"{name} is registered" in response.content.decode()
    return response.context["created"].client_id, response.context["secret"]


@pytest.fixture
def developer(make_user):
    return make_user("dev@example.com", password="pw for a developer 1")


@pytest.fixture
def browser_of():
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


def authorize_query(client_id: str, scope: str, challenge: str | None, state: str = "xyz") -> dict:
    query = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": REDIRECT,
        "scope": scope,
        "state": state,
    }
    if challenge:
        query.update(code_challenge=challenge, code_challenge_method="S256")
    return query


def consent(client: Client, query: dict, allow: bool = True):
    page = client.get("/oauth/authorize/", query)
    assert page.status_code == 200, page.content
    form = page.context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    if allow:
        data["allow"] = "Authorize"
    return page, client.post("/oauth/authorize/", data)


def code_from(response) -> str:
    assert response.status_code == 302, response.content
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    params = parse_qs(location.query)
    assert params["state"] == ["xyz"]
    return params["code"][0]


def exchange(code: str, client_id: str, verifier: str | None = None, secret: str | None = None):
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "client_id": client_id}
    if verifier:
        data["code_verifier"] = verifier
    if secret:
        data["client_secret"] = secret
    return Client().post("/oauth/token/", data)


def bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_public_client_code_flow_with_pkce_consent_and_read_scope(developer, owner, browser_of):
    client_id, secret = register(browser_of(developer), "public")
    assert secret is None  # a public client gets no secret

    person = browser_of(owner)
    verifier, challenge = pkce_pair()
    page, answer = consent(person, authorize_query(client_id, "read", challenge))
    text = page.content.decode()
    assert "Authorize Notebook?" in text
    assert "registered by dev@example.com" in text
    assert "Read the workspaces, datasets, charts and dashboards you can see" in text
    assert "Upload, change" not in text  # only the scope asked for is listed
    # The page may post its answer on to the application's origin, and nowhere else.
    assert "form-action 'self' https://notebook.example.org" in page["Content-Security-Policy"]

    code = code_from(answer)
    token = exchange(code, client_id, verifier)
    assert token.status_code == 200, token.content
    body = token.json()
    assert body["scope"] == "read"
    api = bearer(body["access_token"])
    me = api.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["email"] == "owner@example.com"
    assert me.json()["token_scope"] == "read"
    refused = api.post("/api/v1/workspaces/", {"name": "Not allowed"}, format="json")
    assert refused.status_code == 403
    assert "read scope" in refused.json()["error"]["message"]

    # A code is good once.
    assert exchange(code, client_id, verifier).status_code == 400


def test_a_public_client_without_pkce_is_refused(developer, owner, browser_of):
    client_id, _ = register(browser_of(developer), "public")
    response = browser_of(owner).get("/oauth/authorize/", authorize_query(client_id, "read", challenge=None))
    assert response.status_code == 302  # no consent page: straight back to the application with the error
    params = parse_qs(urlsplit(response["Location"]).query)
    assert params["error"] == ["invalid_request"]
    assert params["error_description"] == ["Code challenge required."]


def test_a_wrong_code_verifier_is_refused(developer, owner, browser_of):
    client_id, _ = register(browser_of(developer), "public")
    _, challenge = pkce_pair()
    _, answer = consent(browser_of(owner), authorize_query(client_id, "read", challenge))
    response = exchange(code_from(answer), client_id, verifier=pkce_pair()[0])
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_confidential_client_with_write_scope_may_write_and_revocation_ends_it(developer, owner, browser_of):
    client_id, secret = register(browser_of(developer), "confidential", name="Sync service")
    assert secret
    _, answer = consent(browser_of(owner), authorize_query(client_id, "read write", challenge=None))
    token = exchange(code_from(answer), client_id, secret=secret)
    assert token.status_code == 200, token.content
    access = token.json()["access_token"]
    created = bearer(access).post("/api/v1/workspaces/", {"name": "Synced"}, format="json")
    assert created.status_code == 201
    assert bearer(access).get("/api/v1/me/").json()["token_scope"] == "write"
    # A wrong secret cannot use the code flow's token endpoint.
    assert exchange("whatever", client_id, secret="wrong").status_code == 401

    revoked = Client().post("/oauth/revoke_token/", {"token": access, "client_id": client_id, "client_secret": secret})
    assert revoked.status_code == 200
    after = bearer(access).get("/api/v1/me/")
    assert after.status_code == 401
    assert "OAuth2" in after.json()["error"]["message"]


def test_denying_consent_sends_access_denied_back(developer, owner, browser_of):
    client_id, _ = register(browser_of(developer), "public")
    _, challenge = pkce_pair()
    _, answer = consent(browser_of(owner), authorize_query(client_id, "read", challenge), allow=False)
    assert answer.status_code == 302
    assert parse_qs(urlsplit(answer["Location"]).query)["error"] == ["access_denied"]


def test_authorize_asks_anonymous_visitors_to_sign_in_first(developer, browser_of):
    client_id, _ = register(browser_of(developer), "public")
    response = Client().get("/oauth/authorize/", authorize_query(client_id, "read", pkce_pair()[1]))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/oauth/authorize/")


def test_the_settings_page_lists_authorized_apps_and_revokes_them(developer, owner, browser_of):
    client_id, _ = register(browser_of(developer), "public")
    verifier, challenge = pkce_pair()
    person = browser_of(owner)
    _, answer = consent(person, authorize_query(client_id, "read", challenge))
    body = exchange(code_from(answer), client_id, verifier).json()

    settings_page = person.get("/accounts/settings/").content.decode()
    assert "Notebook" in settings_page and "registered by dev@example.com" in settings_page

    app_pk = person.get("/accounts/settings/").context["authorized_apps"][0].pk
    response = person.post(f"/accounts/authorizations/{app_pk}/revoke/", follow=True)
    assert "“Notebook” can no longer act for you." in response.content.decode()
    assert "No application can act for you." in response.content.decode()
    assert bearer(body["access_token"]).get("/api/v1/me/").status_code == 401
    refreshed = Client().post(
        "/oauth/token/", {"grant_type": "refresh_token", "refresh_token": body["refresh_token"], "client_id": client_id}
    )
    assert refreshed.status_code == 400


def test_registration_form_reports_bad_redirect_uris(developer, browser_of):
    response = browser_of(developer).post(
        "/accounts/apps/", {"name": "Bad", "client_type": "public", "redirect_uris": "ftp://example.org/cb"}
    )
    assert response.status_code == 200
    assert "is registered" not in response.content.decode()
    assert response.context["form"].errors


def test_only_the_owner_of_an_application_can_delete_it(developer, owner, browser_of):
    client_id, _ = register(browser_of(developer), "public")
    from oauth2_provider.models import Application

    pk = Application.objects.get(client_id=client_id).pk
    assert browser_of(owner).post(f"/accounts/apps/{pk}/delete/").status_code == 404
    assert browser_of(developer).post(f"/accounts/apps/{pk}/delete/").status_code == 302
    assert not Application.objects.filter(pk=pk).exists()


def test_the_token_endpoint_answers_browsers_only_from_allowed_origins(settings, client):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.org"]
    preflight = {"HTTP_ACCESS_CONTROL_REQUEST_METHOD": "POST"}
    allowed = client.options("/oauth/token/", HTTP_ORIGIN="https://app.example.org", **preflight)
    assert allowed["Access-Control-Allow-Origin"] == "https://app.example.org"
    other = client.options("/oauth/token/", HTTP_ORIGIN="https://elsewhere.example.org", **preflight)
    assert "Access-Control-Allow-Origin" not in other
    # Pages are never opened to other origins.
    assert "Access-Control-Allow-Origin" not in client.get("/accounts/login/", HTTP_ORIGIN="https://app.example.org")
