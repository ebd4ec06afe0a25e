"""Live updates in the browser: job bars, the bell, the new-version notice and dashboard tiles move
by themselves over the /ws/ socket, and job bars fall back to polling where no socket can open."""

import re
import time

import pytest
from playwright.sync_api import expect

from apps.accounts import services
from apps.dashboards import services as dashboards
from apps.jobs.models import Job
from apps.live.models import Notification
from apps.live.services import notify
from conftest import WEATHER, WEATHER_COLUMNS, publish_table
from tests.e2e.no_websocket_proxy import NoWebSocketProxy

pytestmark = pytest.mark.e2e

PASSWORD = "a fine passphrase 9"


def log_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def job_requests(page) -> list[str]:
    """Every request the page makes to the jobs API, from now on."""
    seen: list[str] = []
    page.on("request", lambda request: "/api/v1/jobs/" in request.url and seen.append(request.url))
    return seen


def test_the_progress_bar_moves_while_the_page_makes_no_job_polls(page):
    user = services.user_create(email="jo@example.com", password=PASSWORD)
    job = Job.objects.create(kind="ingest", created_by=user, status="running", progress=0.4, stage="Parsing rows")
    polls = job_requests(page)
    log_in(page, "jo@example.com")

    bar = page.get_by_role("progressbar", name="Job progress")
    expect(bar).to_have_attribute("aria-valuenow", "40")
    expect(page.get_by_text("Parsing rows")).to_be_visible()
    for percent in (55, 70, 85):
        time.sleep(0.2)
        job.report(percent / 100, "Profiling", f"Column {percent}")
        expect(bar).to_have_attribute("aria-valuenow", str(percent))
        expect(page.get_by_text(f"Column {percent}")).to_be_visible()
    job.mark_succeeded({"rows": 10})
    expect(page.get_by_text("Done.")).to_be_visible()
    expect(bar).to_have_attribute("aria-valuenow", "100")
    assert polls == []


def test_behind_a_proxy_without_websockets_the_bar_polls_instead(browser, live_server):
    proxy = NoWebSocketProxy("127.0.0.1", live_server.port)
    context = browser.new_context(base_url=proxy.url)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        user = services.user_create(email="px@example.com", password=PASSWORD)
        job = Job.objects.create(kind="ingest", created_by=user, status="running", progress=0.1, stage="Reading")
        polls = job_requests(page)
        log_in(page, "px@example.com")

        bar = page.get_by_role("progressbar", name="Job progress")
        expect(bar).to_have_attribute("aria-valuenow", "10")
        job.report(0.6, "Profiling", "Column 2 of 4")
        expect(bar).to_have_attribute("aria-valuenow", "60")
        job.mark_failed("Line 18 has 5 fields, but the header has 4.")
        expect(page.get_by_role("alert")).to_contain_text("Line 18 has 5 fields, but the header has 4.")
        assert proxy.refused >= 1
        assert len(polls) >= 2
        # The browser reports each refused handshake; nothing else may go wrong.
        assert [e for e in errors if "WebSocket connection to" not in e] == []
    finally:
        context.close()
        proxy.stop()


def test_an_upload_follows_its_ingest_over_the_socket(page, worker, tmp_path):
    services.user_create(email="dana@example.com", password=PASSWORD, name="Dana")
    log_in(page, "dana@example.com")
    polls = job_requests(page)
    source = tmp_path / "cities.csv"
    source.write_text("city,zip\nLyon,69001\nBrest,29200\n")
    page.goto("/datasets/new/")
    page.get_by_label("File").set_input_files(str(source))
    page.get_by_role("button", name="Upload", exact=True).click()
    page.wait_for_url("**/w/danas-workspace/cities/", timeout=60_000)
    expect(page.get_by_test_id("grid-count")).to_have_text("2 rows")
    assert polls == []


def test_the_bell_counts_new_notifications_live_and_marks_them_read(page):
    user = services.user_create(email="bell@example.com", password=PASSWORD)
    notify(users=[user], kind="job_succeeded", message="An old one.")
    # The bell counts again once its socket is open; from then on it hears every new one.
    with page.expect_response(lambda r: "/api/v1/notifications/?read=false" in r.url):
        log_in(page, "bell@example.com")
    bell = page.get_by_role("button", name=re.compile("^Notifications"))
    expect(bell).to_have_accessible_name("Notifications, 1 unread")
    page.wait_for_timeout(300)  # the subscription, sent before that request, is handled by now

    notify(users=[user], kind="version_ready", message="“Sales” version 3 is ready (12 rows).", url="/datasets/")
    expect(bell).to_have_accessible_name("Notifications, 2 unread")
    expect(page.get_by_test_id("unread-count")).to_have_text("2")

    bell.click()
    panel = page.get_by_role("region", name="Notifications")
    expect(panel.get_by_role("link", name="“Sales” version 3 is ready (12 rows).")).to_be_visible()
    expect(panel.get_by_text("An old one.")).to_be_visible()
    panel.get_by_role("button", name="Mark all read").click()
    expect(bell).to_have_accessible_name("Notifications")
    expect(page.get_by_test_id("unread-count")).to_have_count(0)
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()


def test_the_dataset_page_offers_a_new_version_when_it_is_ready(page, make_dataset, workspace, owner):
    owner.set_password(PASSWORD)
    owner.save()
    dataset = make_dataset(workspace)
    log_in(page, owner.email)
    page.goto(dataset.get_absolute_url())
    expect(page.get_by_text("version 1 · current")).to_be_visible()
    expect(page.get_by_text("is ready — ")).to_have_count(0)

    publish_table(dataset, {**WEATHER, "weather": ["hail"] * 4}, WEATHER_COLUMNS, owner)
    notice = page.get_by_role("status").filter(has_text="Version 2 is ready — show it")
    expect(notice).to_be_visible()
    notice.get_by_role("link", name="show it").click()
    expect(page.get_by_text("version 2 · current")).to_be_visible()


def test_dashboard_tiles_on_the_latest_version_redraw_by_themselves(page, make_dataset, workspace, owner):
    owner.set_password(PASSWORD)
    owner.save()
    dataset = make_dataset(workspace)
    count = {"measures": [{"fn": "count"}]}
    latest = dashboards.chart_create(dataset=dataset, title="Days", chart_type="kpi", query=count, created_by=owner)
    pinned = dashboards.chart_create(
        dataset=dataset, title="Days in v1", chart_type="kpi", query=count, version_number=1, created_by=owner
    )
    board = dashboards.dashboard_create(workspace=workspace, title="Weather board", created_by=owner)
    dashboards.tiles_replace(dashboard=board, tiles=[{"chart": latest, "x": 0}, {"chart": pinned, "x": 6}])
    log_in(page, owner.email)
    page.goto(board.get_absolute_url())
    follows = page.get_by_role("region", name="Days", exact=True).get_by_test_id("kpi-value")
    fixed = page.get_by_role("region", name="Days in v1").get_by_test_id("kpi-value")
    expect(follows).to_have_text("4")
    expect(fixed).to_have_text("4")

    more = {name: values + values for name, values in WEATHER.items()}
    publish_table(dataset, more, WEATHER_COLUMNS, owner)
    expect(follows).to_have_text("8")
    expect(fixed).to_have_text("4")
