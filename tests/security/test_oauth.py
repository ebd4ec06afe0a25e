"""DESIGN.md, "Programs, separate front ends, single sign-on" (Datamill as an OAuth2 provider): a code goes
only to a redirect URI registered exactly, and a code stolen and replayed undoes what it gave. Over real HTTP."""

import base64
import hashlib
import re
import secrets
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from apps.accounts import services

LOOPBACK = "http://127.0.0.1:8765/callback"
PASSWORD = "pw for a person 123"


@pytest.fixture
def person(make_user):
    return make_user("person@example.com", password=PASSWORD)


@pytest.fixture
def app(make_user):
    developer = make_user("dev@example.com", password="pw for a developer 1")
    application, _ = services.oauth_application_create(
        user=developer, name="Desk", client_type="public", redirect_uris=LOOPBACK
    )
    return application


def signed_in(http, email: str):
    page = http.get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    http.post(
        "/accounts/login/",
        data={"email": email, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": http.base_url + "/accounts/login/"},
    )
    return http


def authorize(http, app, redirect_uri: str):
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    query = {
        "response_type": "code",
        "client_id": app.client_id,
        "redirect_uri": redirect_uri,
        "scope": "read",
        "state": "s1",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    page = http.get("/oauth/authorize/", params=query, allow_redirects=False)
    if page.status_code != 200:
        return page, None, verifier
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    answer = http.post(
        "/oauth/authorize/",
        data={k: unescape(v) for k, v in fields.items()} | {"allow": "Authorize"},
        headers={"Referer": page.url},
        allow_redirects=False,
    )
    return answer, parse_qs(urlsplit(answer.headers["Location"]).query)["code"][0], verifier


def test_a_loopback_uri_on_another_port_gets_no_code(http, person, app):
    signed_in(http, "person@example.com")
    refused, code, _ = authorize(http, app, "http://127.0.0.1:9999/callback")
    assert code is None and refused.status_code == 400
    assert "Location" not in refused.headers


def test_a_replayed_code_revokes_the_tokens_it_gave(http, person, app):
    signed_in(http, "person@example.com")
    answer, code, verifier = authorize(http, app, LOOPBACK)
    assert answer.headers["Location"].startswith(LOOPBACK + "?")
    exchange = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": LOOPBACK,
        "client_id": app.client_id,
        "code_verifier": verifier,
    }
    tokens = http.post("/oauth/token/", data=exchange).json()
    me = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert http.get("/api/v1/me/", headers=me, cookies={}).status_code == 200

    replay = http.post("/oauth/token/", data=exchange)
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    http.cookies.clear()  # the API answers the token alone
    assert http.get("/api/v1/me/", headers=me).status_code == 401
    refresh = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"], "client_id": app.client_id}
    assert http.post("/oauth/token/", data=refresh).status_code == 400
