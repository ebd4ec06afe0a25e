"""examples/separate-frontend/ served from other loopback ports, talking to Datamill through CORS with JWT."""

import functools
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import expect
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from apps.accounts import services

pytestmark = pytest.mark.e2e

FRONTEND = Path(__file__).resolve().parents[2] / "examples" / "separate-frontend"
PASSWORD = "a front end apart 2024"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture
def static_origin():
    """Serve the example's files from a new loopback port; yields the origin."""
    servers = []

    def start() -> str:
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(FRONTEND)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def frontend_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.console_messages = []
    page.on("console", lambda msg: page.console_messages.append((msg.type, msg.text)))
    page.on("pageerror", lambda error: page.console_messages.append(("pageerror", str(error))))
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def analyst(workspace, make_dataset, transactional_db):
    user = services.user_create(email="ana@example.com", password=PASSWORD, name="Ana")
    services.membership_set(workspace=workspace, user=user, role="viewer")
    make_dataset(workspace, title="Weather")
    return user


def sign_in(page, origin: str, api: str) -> None:
    page.goto(f"{origin}/index.html?api={api}")
    expect(page.get_by_text(f"API: {api}")).to_be_visible()
    page.get_by_label("Email").fill("ana@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_the_front_end_signs_in_lists_datasets_and_runs_a_query(
    frontend_page, live_server, static_origin, analyst, settings
):
    origin = static_origin()
    settings.CORS_ALLOWED_ORIGINS = [origin]
    page = frontend_page
    sign_in(page, origin, live_server.url)

    expect(page.get_by_role("heading", name="Your datasets")).to_be_visible()
    expect(page.get_by_text("ana@example.com")).to_be_visible()
    expect(page.get_by_text("Weather (acme), 4 rows")).to_be_visible()
    page.get_by_role("button", name="Aggregate Weather").click()
    page.get_by_label("Group by").select_option("weather")
    page.get_by_label("Measure").select_option(label="avg of temp_max")
    page.get_by_role("button", name="Run query").click()
    table = page.locator("#result")
    expect(table.get_by_role("columnheader", name="avg_temp_max")).to_be_visible()
    expect(table.get_by_role("row")).to_have_count(4)  # the header, fog, rain, sun
    expect(table.get_by_role("row", name="rain 7.375")).to_be_visible()

    # A reload keeps the sign-in through the (rotated) refresh token.
    page.reload()
    expect(page.get_by_role("heading", name="Your datasets")).to_be_visible()
    assert BlacklistedToken.objects.count() == 1  # the first refresh token, used up by the reload

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in to Datamill")).to_be_visible()
    page.wait_for_function("() => !sessionStorage.getItem('datamill.refresh')")
    deadline = time.monotonic() + 15
    while BlacklistedToken.objects.count() < 2:  # the revoke request is on its way
        assert time.monotonic() < deadline, "signing out did not revoke the refresh token"
        time.sleep(0.1)
    assert [m for m in page.console_messages if m[0] in ("error", "pageerror")] == []


def test_an_origin_not_in_the_list_is_refused_by_the_browser(
    frontend_page, live_server, static_origin, analyst, settings
):
    allowed, other = static_origin(), static_origin()
    settings.CORS_ALLOWED_ORIGINS = [allowed]
    page = frontend_page
    sign_in(page, other, live_server.url)

    expect(page.get_by_role("alert")).to_contain_text(
        f"Could not reach Datamill at {live_server.url}. If it is running, this page's origin ({other}) "
        "is probably not in its CORS_ALLOWED_ORIGINS."
    )
    expect(page.get_by_role("heading", name="Sign in to Datamill")).to_be_visible()
    assert any("blocked by CORS policy" in text for _, text in page.console_messages), page.console_messages
    # The preflight was refused, so the sign-in request itself never reached Datamill.
    assert OutstandingToken.objects.count() == 0
