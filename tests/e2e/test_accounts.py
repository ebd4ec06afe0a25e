import json
import re
import urllib.request

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def sign_up(page, email="ada@example.com", password="analytical engine 1843"):
    page.goto("/accounts/signup/")
    page.get_by_label("Your name").fill("Ada")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Welcome back, Ada")).to_be_visible()


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
