"""DESIGN.md, "Security rules that every feature keeps" and "Programs, separate front ends, single sign-on":
guessing passwords, flooding sign-up and reset, and forging client addresses, over real HTTP."""

import re

import pytest

PASSWORD = "correct horse battery"


@pytest.fixture
def ana(make_user):
    return make_user("ana@example.com", password=PASSWORD)


def obtain(http, password: str, forwarded_for: str | None = None):
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return http.post("/api/v1/auth/jwt/", json={"email": "ana@example.com", "password": password}, headers=headers)


def form_post(http, path: str, data: dict):
    page = http.get(path)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return http.post(path, data={**data, "csrfmiddlewaretoken": token}, headers={"Referer": http.base_url + path})


def test_a_made_up_forwarded_for_does_not_dodge_the_address_limit(http, ana, settings):
    settings.LOGIN_FAILURES_PER_IP = 3
    for n in range(3):
        assert obtain(http, "wrong", forwarded_for=f"192.0.2.{n}").status_code == 401
    refused = obtain(http, PASSWORD, forwarded_for="192.0.2.200")
    assert refused.status_code == 429
    assert "from your network" in refused.json()["error"]["message"]


def test_the_guesser_waits_and_the_owner_does_not(http, ana, settings):
    settings.FORWARDED_ALLOW_IPS = ["127.0.0.1"]  # a proxy in front says who the clients are
    for _ in range(settings.LOGIN_FAILURES_PER_ACCOUNT_AND_IP):
        assert obtain(http, "wrong", forwarded_for="203.0.113.9").status_code == 401
    held = obtain(http, PASSWORD, forwarded_for="203.0.113.9")
    assert held.status_code == 429
    assert "Wait 15 minutes" in held.json()["error"]["message"]
    assert 0 < int(held.headers["Retry-After"]) <= 900
    assert obtain(http, PASSWORD, forwarded_for="198.51.100.7").status_code == 200


def test_signup_answers_alike_for_taken_and_new_addresses(http, ana, mailoutbox):
    taken = form_post(http, "/accounts/signup/", {"email": "ana@example.com"})
    new = form_post(http, "/accounts/signup/", {"email": "nobody@example.com"})
    assert taken.status_code == new.status_code == 200
    assert "Check your mail" in taken.text and "Check your mail" in new.text
    assert "already" not in taken.text
    assert sorted(m.to[0] for m in mailoutbox) == ["ana@example.com", "nobody@example.com"]


def test_password_reset_requests_are_limited(http, ana, settings, mailoutbox):
    settings.PASSWORD_RESETS_PER_EMAIL = 2
    answers = [form_post(http, "/accounts/password_reset/", {"email": "ana@example.com"}) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]  # 200: the "check your mail" page, after its redirect
    assert "Too many password reset requests" in answers[2].text
    assert len(mailoutbox) == 2
