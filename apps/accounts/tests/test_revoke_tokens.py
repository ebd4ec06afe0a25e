"""Every personal API token of an account can be revoked at once: from settings, the API, a password reset."""

import re

import pytest
from django.test import Client
from rest_framework.test import APIClient

from apps.accounts import services
from apps.accounts.models import ApiToken

PASSWORD = "an old but long passphrase"


@pytest.fixture
def rosa(make_user):
    return make_user("rosa@example.com", password=PASSWORD)


def working(secrets: list[str]) -> list[bool]:
    return [services.token_authenticate(secret) is not None for secret in secrets]


def tokens_of(user, n: int = 2) -> list[str]:
    return [services.token_create(user=user, name=f"t{i}", scope="write")[1] for i in range(n)]


def test_the_settings_button_revokes_every_token_once_confirmed(rosa, make_user):
    mine, theirs = tokens_of(rosa), tokens_of(make_user("other@example.com"), 1)
    client = Client()
    client.force_login(rosa)
    assert "Revoke all API tokens" in client.get("/accounts/settings/").content.decode()
    unconfirmed = client.post("/accounts/settings/revoke-tokens/", follow=True)
    assert "Tick the box to confirm" in unconfirmed.content.decode()
    assert working(mine) == [True, True]
    done = client.post("/accounts/settings/revoke-tokens/", {"confirm": "yes"}, follow=True)
    assert "All your API tokens were revoked (2)" in done.content.decode()
    assert working(mine) == [False, False] and working(theirs) == [True]


def test_the_api_revokes_every_token_including_the_callers(rosa):
    first, second = tokens_of(rosa)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {first}")
    response = api.post("/api/v1/tokens/revoke-all/")
    assert response.status_code == 200 and response.json() == {"revoked": 2}
    assert api.get("/api/v1/tokens/").status_code == 401
    assert working([first, second]) == [False, False]


def test_a_read_token_cannot_revoke_them(rosa):
    _, read = services.token_create(user=rosa, name="r", scope="read")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {read}")
    assert api.post("/api/v1/tokens/revoke-all/").status_code == 403
    assert working([read]) == [True]


@pytest.mark.parametrize("revoke", [True, False])
def test_a_password_reset_may_revoke_every_token(rosa, mailoutbox, revoke):
    secrets = tokens_of(rosa)
    client = Client()
    client.post("/accounts/password_reset/", {"email": "rosa@example.com"})
    form_page = client.get(re.search(r"https?://\S+", mailoutbox[0].body).group(0), follow=True)
    assert "Also revoke all my API tokens" in form_page.content.decode()
    new = "a brand new long passphrase"
    answer = {"new_password1": new, "new_password2": new, **({"revoke_tokens": "on"} if revoke else {})}
    done = client.post(form_page.redirect_chain[-1][0], answer, follow=True)
    assert "Your password is changed" in done.content.decode()
    assert ("All your API tokens were revoked (2)" in done.content.decode()) is revoke
    assert working(secrets) == [not revoke, not revoke]
    assert ApiToken.objects.filter(user=rosa, revoked_at__isnull=False).count() == (2 if revoke else 0)
