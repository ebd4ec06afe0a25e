import re

import pytest
from django.test import Client

from apps.accounts.models import Membership, Role, User


def test_signup_by_mailed_link_logs_in_and_creates_a_workspace(db, mailoutbox):
    client = Client()
    response = client.post("/accounts/signup/", {"name": "Sam", "email": "sam@example.com"})
    assert "Check your mail" in response.content.decode()
    assert not User.objects.filter(email="sam@example.com").exists()
    link = re.search(r"http://\S+/accounts/signup/confirm/\S+/", mailoutbox[0].body).group(0)
    response = client.post(link, {"name": "Sam", "password": "a-long-passphrase-42"})
    assert response.status_code == 302
    home = client.get("/")
    assert "Welcome to Datamill, Sam" in home.content.decode()  # a new account, not "welcome back"
    assert "Sam&#x27;s workspace" in home.content.decode()
    user = User.objects.get(email="sam@example.com")
    assert user.password.startswith("argon2")


def test_signup_link_explains_a_weak_password(db, mailoutbox):
    Client().post("/accounts/signup/", {"email": "weak@example.com"})
    link = re.search(r"http://\S+/accounts/signup/confirm/\S+/", mailoutbox[0].body).group(0)
    response = Client().post(link, {"password": "123"})
    assert response.status_code == 200
    assert "too short" in response.content.decode()


def test_login_and_logout(make_user):
    make_user("ana@example.com", password="correct horse battery")
    client = Client()
    response = client.post("/accounts/login/", {"email": "ANA@example.com", "password": "correct horse battery"})
    assert response.status_code == 302
    assert client.get("/accounts/settings/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/accounts/settings/").status_code == 302


def test_login_rejects_a_wrong_password_clearly(make_user):
    make_user("ana@example.com", password="correct horse battery")
    response = Client().post("/accounts/login/", {"email": "ana@example.com", "password": "nope"})
    assert "do not match an account" in response.content.decode()


def test_failed_logins_are_limited_per_account_without_locking_out_others(make_user, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT_AND_IP = 3
    make_user("ana@example.com", password="correct horse battery")
    make_user("bob@example.com", password="another good secret")
    client = Client()
    for _ in range(3):
        client.post("/accounts/login/", {"email": "ana@example.com", "password": "wrong"})
    blocked = client.post("/accounts/login/", {"email": "ana@example.com", "password": "correct horse battery"})
    assert blocked.status_code == 429
    assert "Too many failed sign-in attempts for this account" in blocked.content.decode()
    other = Client().post("/accounts/login/", {"email": "bob@example.com", "password": "another good secret"})
    assert other.status_code == 302


def test_failed_logins_are_limited_per_address(make_user, settings):
    settings.LOGIN_FAILURES_PER_IP = 4
    make_user("bob@example.com", password="another good secret")
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(4):
        attacker.post("/accounts/login/", {"email": f"guess{n}@example.com", "password": "x"})
    blocked = attacker.post("/accounts/login/", {"email": "bob@example.com", "password": "another good secret"})
    assert "from your network" in blocked.content.decode()
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert (
        elsewhere.post("/accounts/login/", {"email": "bob@example.com", "password": "another good secret"}).status_code
        == 302
    )


def test_login_redirects_only_to_local_pages(make_user):
    make_user("ana@example.com", password="correct horse battery")
    response = Client().post(
        "/accounts/login/?next=https://evil.example/", {"email": "ana@example.com", "password": "correct horse battery"}
    )
    assert response["Location"] == "/"


def test_password_change(make_user):
    user = make_user("ana@example.com", password="correct horse battery")
    client = Client()
    client.force_login(user)
    response = client.post(
        "/accounts/settings/",
        {
            "old_password": "correct horse battery",
            "new_password1": "brand new phrase 77",
            "new_password2": "brand new phrase 77",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("brand new phrase 77")


def test_settings_page_mounts_the_tokens_island_under_a_strict_csp(owner):
    client = Client()
    client.force_login(owner)
    response = client.get("/accounts/settings/")
    page = response.content.decode()
    assert 'data-island="tokens"' in page
    assert '<script id="island-tokens-1" type="application/json">{"apiUrl": "/api/v1/tokens/"}</script>' in page
    assert 'id="app-config"' in page
    csp = response["Content-Security-Policy"]
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "'self'" in script_src and "unsafe-inline" not in script_src


@pytest.mark.parametrize("who", ["outsider", "anonymous"])
def test_a_workspace_page_is_a_404_outside_the_workspace(workspace, outsider, who):
    client = Client()
    if who == "outsider":
        client.force_login(outsider)
    assert client.get("/w/acme/").status_code == 404


def test_owner_adds_changes_and_removes_members(workspace, owner, make_user):
    newcomer = make_user("new@example.com")
    client = Client()
    client.force_login(owner)
    client.post("/w/acme/", {"email": "new@example.com", "role": "editor"})
    assert Membership.objects.get(workspace=workspace, user=newcomer).role == Role.EDITOR
    page = client.get("/w/acme/").content.decode()
    assert "new@example.com" in page
    client.post(f"/w/acme/members/{newcomer.pk}/remove/")
    assert not Membership.objects.filter(workspace=workspace, user=newcomer).exists()


def test_adding_an_unknown_email_says_so(workspace, owner):
    client = Client()
    client.force_login(owner)
    response = client.post("/w/acme/", {"email": "ghost@example.com", "role": "viewer"})
    assert "No account uses this email" in response.content.decode()


def test_editors_and_viewers_cannot_manage_members(workspace, editor, viewer, outsider):
    for user in (editor, viewer):
        client = Client()
        client.force_login(user)
        page = client.get("/w/acme/").content.decode()
        assert "Add or change member" not in page
        assert client.post("/w/acme/", {"email": outsider.email, "role": "owner"}).status_code == 403
        assert client.post(f"/w/acme/members/{outsider.pk}/remove/").status_code == 403
    assert not Membership.objects.filter(workspace=workspace, user=outsider).exists()
