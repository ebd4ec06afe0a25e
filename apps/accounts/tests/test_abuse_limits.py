"""Sign-in, sign-up and password-reset limits slow attackers without locking owners out or telling
anyone which addresses have accounts."""

import re

import pytest
from django.test import Client

from apps.accounts.models import User
from apps.audit.models import AuditEvent

PASSWORD = "correct horse battery"
ATTACKER, OWNER = "203.0.113.9", "198.51.100.7"


@pytest.fixture
def ana(make_user):
    return make_user("ana@example.com", password=PASSWORD)


def sign_in(address: str, password: str, **extra):
    return Client(REMOTE_ADDR=address, **extra).post(
        "/accounts/login/", {"email": "ana@example.com", "password": password}
    )


def test_wrong_passwords_hold_back_the_guesser_not_the_owner(ana, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT_AND_IP = 3
    for _ in range(3):
        assert sign_in(ATTACKER, "wrong").status_code == 200
    blocked = sign_in(ATTACKER, PASSWORD)
    assert blocked.status_code == 429
    assert "Wait 15 minutes and try again" in blocked.content.decode()
    assert sign_in(OWNER, PASSWORD).status_code == 302  # the owner, elsewhere, is not locked out


def test_the_per_account_backstop_spares_addresses_that_never_failed(ana, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 4
    for n in range(4):
        sign_in(f"203.0.113.{n + 10}", "wrong")
    held = sign_in("203.0.113.10", PASSWORD)
    assert held.status_code == 429 and "from many networks" in held.content.decode()
    assert sign_in(OWNER, PASSWORD).status_code == 302


def test_a_forwarded_for_header_does_not_open_a_fresh_count(ana, settings):
    settings.LOGIN_FAILURES_PER_IP = 3
    for n in range(3):
        sign_in("127.0.0.1", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    blocked = sign_in("127.0.0.1", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert blocked.status_code == 429 and "from your network" in blocked.content.decode()


def test_a_listed_proxy_is_believed_for_the_address_it_forwards(ana, settings):
    settings.LOGIN_FAILURES_PER_IP = 3
    settings.FORWARDED_ALLOW_IPS = ["10.0.0.0/8"]
    for _ in range(3):  # the client writes a made-up address first; the proxy appends the real one
        sign_in("10.0.0.2", "wrong", HTTP_X_FORWARDED_FOR=f"1.2.3.{_}, {ATTACKER}")
    assert sign_in("10.0.0.2", PASSWORD, HTTP_X_FORWARDED_FOR=ATTACKER).status_code == 429
    assert sign_in("10.0.0.2", PASSWORD, HTTP_X_FORWARDED_FOR=OWNER).status_code == 302


def test_the_audit_log_records_the_address_by_the_same_rule(ana, settings):
    from apps.accounts import services

    services.token_create(user=ana, name="script")
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.50")
    client.force_login(ana)
    client.post("/accounts/settings/revoke-tokens/", {"confirm": "yes"})
    assert AuditEvent.objects.get(action="token.revoked_all").ip == "127.0.0.1"


def test_signup_never_says_an_address_is_taken(ana, mailoutbox):
    taken = Client().post("/accounts/signup/", {"name": "Ana", "email": "ana@example.com"})
    new = Client().post("/accounts/signup/", {"name": "Ana", "email": "fresh@example.com"})
    strip = re.compile(r"[A-Za-z0-9]{64}|[a-z]+@example\.com")  # CSRF tokens, and the address itself
    assert taken.status_code == new.status_code == 200
    assert strip.sub("", taken.content.decode()) == strip.sub("", new.content.decode())
    assert "Check your mail" in taken.content.decode()
    to_owner, to_new = mailoutbox
    assert to_owner.to == ["ana@example.com"] and "already have" in to_owner.subject
    assert "/signup/confirm/" not in to_owner.body and "/accounts/password_reset/" in to_owner.body
    assert to_new.to == ["fresh@example.com"] and "/accounts/signup/confirm/" in to_new.body
    assert User.objects.filter(email="ana@example.com").get().check_password(PASSWORD)  # untouched


def test_a_forged_or_reused_signup_link_makes_no_account(db, mailoutbox):
    Client().post("/accounts/signup/", {"email": "sam@example.com"})
    link = re.search(r"http://\S+/accounts/signup/confirm/\S+/", mailoutbox[0].body).group(0)
    forged = Client().post(link.replace("sam%40", "eve%40")[:-3] + "xx/", {"password": "a-long-passphrase-42"})
    assert forged.status_code == 400
    assert Client().post(link, {"password": "a-long-passphrase-42"}).status_code == 302
    again = Client().post(link, {"password": "another-passphrase-43"})
    assert again.status_code == 302 and again["Location"] == "/accounts/login/"
    assert User.objects.get(email="sam@example.com").check_password("a-long-passphrase-42")


def test_signup_is_limited_per_address(db, settings, mailoutbox):
    settings.SIGNUPS_PER_IP = 2
    client = Client(REMOTE_ADDR=ATTACKER)
    for n in range(2):
        assert client.post("/accounts/signup/", {"email": f"s{n}@example.com"}).status_code == 200
    limited = client.post("/accounts/signup/", {"email": "s9@example.com"})
    assert limited.status_code == 429 and "Too many sign-ups from your network" in limited.content.decode()
    assert len(mailoutbox) == 2


def test_password_reset_is_limited_per_email_and_per_address(ana, settings, mailoutbox):
    settings.PASSWORD_RESETS_PER_EMAIL = 2
    settings.PASSWORD_RESETS_PER_IP = 3
    for n in range(2):
        Client(REMOTE_ADDR=f"192.0.2.{n}").post("/accounts/password_reset/", {"email": "ana@example.com"})
    per_email = Client(REMOTE_ADDR="192.0.2.9").post("/accounts/password_reset/", {"email": "ANA@example.com"})
    assert per_email.status_code == 429 and "from this address" in per_email.content.decode()
    assert len(mailoutbox) == 2

    client = Client(REMOTE_ADDR=ATTACKER)
    for n in range(3):
        assert client.post("/accounts/password_reset/", {"email": f"x{n}@example.com"}).status_code == 302
    per_ip = client.post("/accounts/password_reset/", {"email": "y@example.com"})
    assert per_ip.status_code == 429 and "from your network" in per_ip.content.decode()
    assert "Wait 60 minutes" in per_ip.content.decode()
