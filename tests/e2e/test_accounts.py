import json
import re
import time
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def sign_up(page, email="ada@example.com", password="analytical engine 1843"):
    """Sign up as a person does: the address first, then the password on the mailed link's page."""
    from django.core import mail

    page.goto("/accounts/signup/")
    page.get_by_label("Your name").fill("Ada")
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your mail")).to_be_visible()
    [message] = [m for m in mail.outbox if m.to == [email]][-1:]
    page.goto(re.search(r"https?://\S+/signup/confirm/\S+/", message.body).group(0))
    expect(page.get_by_text(f"Your account will be {email}")).to_be_visible()
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Welcome to Datamill, Ada")).to_be_visible()


def test_sign_up_log_in_and_use_a_token_from_the_island(page, live_server):
    sign_up(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Password").fill("analytical engine 1843")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Welcome back, Ada")).to_be_visible()

    page.goto("/accounts/settings/")
    expect(page.get_by_text("No tokens yet.")).to_be_visible()
    page.get_by_label("Name").fill("notebook")
    page.get_by_label("Scope").select_option("write")
    page.get_by_role("button", name="Create token").click()
    secret = page.get_by_test_id("token-secret").inner_text().strip()
    assert re.fullmatch(r"dm_[A-Za-z0-9_-]{40,}", secret)
    expect(page.get_by_text("You will not be able to see it again.")).to_be_visible()
    expect(page.get_by_role("cell", name="notebook", exact=True)).to_be_visible()

    # The secret is shown once: after a reload only its prefix remains.
    page.reload()
    expect(page.get_by_role("cell", name="notebook", exact=True)).to_be_visible()
    assert secret not in page.content()
    assert secret[:10] in page.content()

    request = urllib.request.Request(f"{live_server.url}/api/v1/me/", headers={"Authorization": f"Bearer {secret}"})
    with urllib.request.urlopen(request) as response:
        me = json.load(response)
    assert me["email"] == "ada@example.com"
    assert me["token_scope"] == "write"


def test_revoked_token_stops_working(page, live_server):
    sign_up(page, email="bob@example.com")
    page.goto("/accounts/settings/")
    page.get_by_label("Name").fill("temporary")
    page.get_by_role("button", name="Create token").click()
    secret = page.get_by_test_id("token-secret").inner_text().strip()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Revoke temporary").click()
    expect(page.get_by_text("No tokens yet.")).to_be_visible()

    request = urllib.request.Request(f"{live_server.url}/api/v1/me/", headers={"Authorization": f"Bearer {secret}"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request)
    assert refused.value.code == 401


def test_revoke_all_tokens_from_settings_after_confirming(page, live_server):
    sign_up(page, email="carol@example.com")
    page.goto("/accounts/settings/")
    secrets = []
    for name in ("one", "two"):
        page.get_by_label("Name").fill(name)
        page.get_by_role("button", name="Create token").click()
        secrets.append(page.get_by_test_id("token-secret").inner_text().strip())
    page.get_by_text("Revoke all API tokens…").click()
    page.get_by_role("button", name="Revoke all API tokens").click()  # the box is not ticked: the browser stops it
    expect(page).to_have_url(re.compile(r"/accounts/settings/$"))
    page.get_by_label("Yes, revoke every one of my API tokens").check()
    page.get_by_role("button", name="Revoke all API tokens").click()
    expect(page.get_by_text("All your API tokens were revoked (2)")).to_be_visible()
    for secret in secrets:
        request = urllib.request.Request(f"{live_server.url}/api/v1/me/", headers={"Authorization": f"Bearer {secret}"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request)
        assert refused.value.code == 401


def test_pages_send_a_strict_csp_and_islands_still_render(page):
    sign_up(page, email="csp@example.com")
    response = page.goto("/accounts/settings/")
    csp = response.headers["content-security-policy"]
    script_src = next(part.strip() for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "'self'" in script_src
    assert "unsafe-inline" not in script_src
    # Rendered by React under that policy (the page fixture also fails on any CSP console error).
    expect(page.get_by_role("button", name="Create token")).to_be_visible()


def test_api_docs_render_under_the_csp(page):
    page.goto("/api/docs/")
    expect(page.get_by_role("heading", name=re.compile("Datamill API"))).to_be_visible()
    expect(page.get_by_text("/api/v1/tokens/").first).to_be_visible()


def sign_in(page, email: str, password: str, heading: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=heading)).to_be_visible()


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_password_reset_by_email_with_used_and_expired_links(page, mailoutbox, settings):
    sign_up(page, email="forgetful@example.com")
    page.get_by_role("button", name="Sign out").click()

    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("forgetful@example.com")
    page.get_by_role("button", name="Send the reset link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    link = link_in(mailoutbox[-1])

    page.goto(link)
    page.get_by_label("New password", exact=True).fill("a fresh new passphrase")
    page.get_by_label("New password confirmation").fill("a fresh new passphrase")
    page.get_by_role("button", name="Set the new password").click()
    expect(page.get_by_role("heading", name="Your password is changed")).to_be_visible()
    sign_in(page, "forgetful@example.com", "a fresh new passphrase", "Welcome back, Ada")

    page.goto(link)  # used once already
    expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    page.goto("/accounts/password_reset/")
    page.get_by_label("Email").fill("forgetful@example.com")
    page.get_by_role("button", name="Send the reset link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    settings.PASSWORD_RESET_TIMEOUT = 1
    time.sleep(2.1)
    page.goto(link_in(mailoutbox[-1]))
    expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()
    expect(page.get_by_role("link", name="Ask for a new link")).to_be_visible()


def test_invitations_sign_up_into_the_workspace_and_used_expired_withdrawn_links_fail(
    page, browser, live_server, mailoutbox
):
    from apps.accounts import services
    from apps.accounts.models import Invitation, Membership

    owner = services.user_create(email="olga@example.com", password="olga's long password", name="Olga")
    workspace = services.workspace_create(name="Acme Analytics", slug="acme", owner=owner)
    sign_in(page, "olga@example.com", "olga's long password", "Welcome back, Olga")

    def invite(email: str, role: str) -> str:
        page.goto("/w/acme/")
        page.get_by_label("Email to invite").fill(email)
        page.get_by_label("Invited role").select_option(role)
        page.get_by_role("button", name="Send invitation").click()
        expect(page.get_by_text(f"Invitation e-mailed to {email} as {role}.")).to_be_visible()
        return link_in(mailoutbox[-1])

    link = invite("newcomer@example.com", "editor")
    invitations = page.get_by_role("region", name="Invitations")
    expect(invitations.get_by_role("listitem").filter(has_text="newcomer@example.com")).to_contain_text("Editor")

    guest = browser.new_context(base_url=live_server.url).new_page()
    guest.goto(link)
    expect(guest.get_by_role("heading", name="Join Acme Analytics")).to_be_visible()
    guest.get_by_label("Your name").fill("Nina")
    guest.get_by_label("Password").fill("nina's long password")
    guest.get_by_role("button", name="Create account and join").click()
    expect(guest.get_by_text("You joined Acme Analytics as editor.")).to_be_visible()
    expect(guest.get_by_role("heading", name="Acme Analytics")).to_be_visible()
    assert Membership.objects.get(workspace=workspace, user__email="newcomer@example.com").role == "editor"

    reused = browser.new_context(base_url=live_server.url).new_page()
    reused.goto(link)
    expect(reused.get_by_text("This invitation has already been used.")).to_be_visible()

    expired_link = invite("late@example.com", "viewer")
    Invitation.objects.filter(email="late@example.com").update(expires_at=timezone.now() - timedelta(minutes=1))
    reused.goto(expired_link)
    expect(reused.get_by_text("This invitation has expired.")).to_be_visible()

    withdrawn_link = invite("maybe@example.com", "viewer")
    page.get_by_role("button", name="Withdraw the invitation of maybe@example.com").click()
    expect(page.get_by_text("The invitation of maybe@example.com was withdrawn")).to_be_visible()
    expect(page.get_by_role("region", name="Invitations").get_by_text("No pending invitations.")).to_be_visible()
    reused.goto(withdrawn_link)
    expect(reused.get_by_text("This invitation was withdrawn.")).to_be_visible()
    guest.context.close()
    reused.context.close()


def test_oauth_consent_in_the_browser_returns_a_code_to_the_application(page, live_server, tmp_path):
    """The consent page's form posts, then the browser follows the redirect to the app's origin (CSP form-action)."""
    import base64
    import functools
    import hashlib
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
    from urllib.parse import parse_qs, urlencode, urlsplit

    from apps.accounts import services

    (tmp_path / "callback.html").write_text("<!doctype html><link rel='icon' href='data:,'><p>the application's page")

    class QuietHandler(SimpleHTTPRequestHandler):
        def log_message(self, format, *args):
            pass

    app_server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(tmp_path)))
    threading.Thread(target=app_server.serve_forever, daemon=True).start()
    redirect_uri = f"http://127.0.0.1:{app_server.server_address[1]}/callback.html"
    try:
        developer = services.user_create(email="dev@example.com", password=None)
        application, _ = services.oauth_application_create(
            user=developer, name="Notebook", client_type="public", redirect_uris=redirect_uri
        )
        sign_up(page, email="person@example.com")
        verifier = "v" * 64
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        query = {
            "response_type": "code",
            "client_id": application.client_id,
            "redirect_uri": redirect_uri,
            "scope": "read write",
            "state": "s1",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        page.goto(f"/oauth/authorize/?{urlencode(query)}")
        expect(page.get_by_role("heading", name="Authorize Notebook?")).to_be_visible()
        expect(page.get_by_text("Upload, change and delete data where your role allows it")).to_be_visible()
        page.get_by_role("button", name="Authorize").click()
        page.wait_for_url(re.compile(re.escape(redirect_uri) + r"\?"))
        expect(page.get_by_text("the application's page")).to_be_visible()
        params = parse_qs(urlsplit(page.url).query)
        assert params["state"] == ["s1"]
        body = urlencode(
            {
                "grant_type": "authorization_code",
                "code": params["code"][0],
                "redirect_uri": redirect_uri,
                "client_id": application.client_id,
                "code_verifier": verifier,
            }
        ).encode()
        with urllib.request.urlopen(f"{live_server.url}/oauth/token/", data=body) as response:
            token = json.load(response)
        assert token["scope"] == "read write"
        me = urllib.request.Request(
            f"{live_server.url}/api/v1/me/", headers={"Authorization": f"Bearer {token['access_token']}"}
        )
        with urllib.request.urlopen(me) as response:
            assert json.load(response)["email"] == "person@example.com"

        page.goto("/accounts/settings/")
        page.get_by_role("button", name="Revoke Notebook").click()
        expect(page.get_by_text("“Notebook” can no longer act for you.")).to_be_visible()
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(me)
        assert refused.value.code == 401
    finally:
        app_server.shutdown()
        app_server.server_close()
