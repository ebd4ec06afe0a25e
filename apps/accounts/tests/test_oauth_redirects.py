"""OAuth2 redirect URIs match exactly unless a registration opts into RFC 8252's loopback rule; a replayed
authorization code revokes what it gave; the registration form speaks in sentences."""

from urllib.parse import parse_qs, urlsplit

from django.test import Client
from oauth2_provider.models import AccessToken, Application, RefreshToken

from apps.accounts.tests.test_oauth import bearer, browser_of, developer, pkce_pair  # noqa: F401 (fixtures)

LOOPBACK = "http://127.0.0.1:8765/callback"


def register(client: Client, uris: str, any_port: bool = False) -> str:
    data = {"name": "Desk", "client_type": "public", "redirect_uris": uris}
    if any_port:
        data["loopback_any_port"] = "on"
    response = client.post("/accounts/apps/", data)
    assert response.context["created"] is not None, response.context["form"].errors
    return response.context["created"].client_id


def authorize(client: Client, client_id: str, redirect_uri: str, challenge: str):
    query = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "scope": "read",
        "state": "s",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    page = client.get("/oauth/authorize/", query)
    if page.status_code != 200:
        return page, None
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    answer = client.post("/oauth/authorize/", {**data, "allow": "Authorize"})
    return page, parse_qs(urlsplit(answer["Location"]).query)["code"][0]


def test_a_loopback_redirect_uri_matches_its_port_only(developer, owner, browser_of):  # noqa: F811
    client_id = register(browser_of(developer), LOOPBACK)
    _, challenge = pkce_pair()
    other_port, _ = authorize(browser_of(owner), client_id, "http://127.0.0.1:9999/callback", challenge)
    assert other_port.status_code == 400  # refused on our page, never redirected
    assert "Location" not in other_port
    registered, code = authorize(browser_of(owner), client_id, LOOPBACK, challenge)
    assert registered.status_code == 200 and code


def test_a_registration_may_opt_into_any_loopback_port(developer, owner, browser_of):  # noqa: F811
    client_id = register(browser_of(developer), LOOPBACK, any_port=True)
    _, challenge = pkce_pair()
    page, code = authorize(browser_of(owner), client_id, "http://127.0.0.1:50111/callback", challenge)
    assert page.status_code == 200 and code
    elsewhere, _ = authorize(browser_of(owner), client_id, "http://127.0.0.1:50111/other", challenge)
    assert elsewhere.status_code == 400  # the path still matches exactly
    assert "any port on loopback" in browser_of(developer).get("/accounts/apps/").content.decode()


def test_any_port_needs_a_loopback_uri_and_says_so(developer, browser_of):  # noqa: F811
    response = browser_of(developer).post(
        "/accounts/apps/",
        {"name": "Web", "client_type": "public", "redirect_uris": "https://a.example/cb", "loopback_any_port": "on"},
    )
    assert response.context["created"] is None
    assert "applies only to http://127.0.0.1" in response.content.decode()


def test_registration_errors_read_as_sentences(developer, browser_of):  # noqa: F811
    uris = "ftp://x\nhttps://a.example/cb#frag\nhttps://user:pw@a.example/cb"
    response = browser_of(developer).post(
        "/accounts/apps/", {"name": "Bad", "client_type": "public", "redirect_uris": uris}
    )
    errors = response.context["form"].errors["redirect_uris"]
    assert errors == [
        "“ftp://x” is not a web address: a redirect URI starts with https:// (or http:// for local development).",
        "“https://a.example/cb#frag” has a #fragment; a redirect URI may not.",
        "“https://user:pw@a.example/cb” carries a user name or password; a redirect URI may not.",
    ]
    assert "invalid_scheme" not in response.content.decode()
    assert not Application.objects.exists()


def test_a_replayed_code_revokes_the_tokens_it_gave(developer, owner, browser_of):  # noqa: F811
    client_id = register(browser_of(developer), LOOPBACK)
    verifier, challenge = pkce_pair()
    _, code = authorize(browser_of(owner), client_id, LOOPBACK, challenge)
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": LOOPBACK,
        "client_id": client_id,
        "code_verifier": verifier,
    }
    first = Client().post("/oauth/token/", data).json()
    refreshed = (
        Client()
        .post(
            "/oauth/token/",
            {"grant_type": "refresh_token", "refresh_token": first["refresh_token"], "client_id": client_id},
        )
        .json()
    )
    assert bearer(refreshed["access_token"]).get("/api/v1/me/").status_code == 200

    replay = Client().post("/oauth/token/", data)
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    for access in (first["access_token"], refreshed["access_token"]):
        assert bearer(access).get("/api/v1/me/").status_code == 401
    again = Client().post(
        "/oauth/token/",
        {"grant_type": "refresh_token", "refresh_token": refreshed["refresh_token"], "client_id": client_id},
    )
    assert again.status_code == 400
    assert not AccessToken.objects.exists()
    assert not RefreshToken.objects.filter(revoked__isnull=True).exists()
