"""Browser tests of the compare page, the refresh panel and the workspace settings page.

Tasks run eagerly inside the live server, so an ingest, a refresh or a webhook delivery is done when the
request that started it answers. With E2E_SCREENSHOTS=<folder> the pages are also saved at 1366 and 390 px.
"""

import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from apps.accounts import services
from apps.datasets import services as dataset_services
from apps.integrations.tests.servers import FileServer, Receiver

pytestmark = pytest.mark.e2e

V1 = "id,city,population,region\n" + "".join(
    f"{i},City {i},{1000 + i * 7},{'north' if i % 3 else 'south'}\n" for i in range(1, 61)
)
V2 = (
    "id,city,population,region\n"
    + "".join(
        f"{i},City {i},{1000 + i * 7 + (500 if i % 10 == 0 else 0)},{'north' if i % 3 else 'south'}\n"
        for i in range(3, 61)
    )
    + "61,Nantes,320732,west\n62,Lille,236710,north\n"
)


def screenshot(page, name: str, part: str = "") -> None:
    """The whole page, and the `part` (a CSS selector) alone, at both widths."""
    folder = os.environ.get("E2E_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
        if part:
            page.locator(part).screenshot(path=f"{folder}/{name}-part-{width}.png")
    page.set_viewport_size({"width": 1280, "height": 900})


def sign_in(page, email="dana@example.com"):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("a fine passphrase 9")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


@pytest.fixture
def dana(transactional_db):
    user = services.user_create(email="dana@example.com", password="a fine passphrase 9", name="Dana")
    workspace = services.workspace_create(name="Field team", slug="field", owner=user)
    return user, workspace


def test_compare_two_versions_from_the_versions_table(page, dana, eager):
    user, workspace = dana
    dataset = dataset_services.dataset_create(workspace=workspace, title="Cities", created_by=user)
    for content in (V1, V2):
        upload = SimpleUploadedFile("cities.csv", content.encode())
        dataset_services.version_create(dataset=dataset, uploaded_file=upload, created_by=user)
    sign_in(page)
    page.goto("/w/field/cities/")
    screenshot(page, "versions", "section:has(h2:text('Versions'))")
    page.get_by_role("link", name="Compare with previous").click()
    page.wait_for_url("**/w/field/cities/compare/?b=2")

    expect(page.get_by_role("heading", name="What changed from version 1 to version 2")).to_be_visible()
    # The key is proposed from the profile: id is unique in both versions.
    expect(page.get_by_role("checkbox", name="id unique")).to_be_checked()
    expect(page.get_by_text("Rows matched on id")).to_be_visible()
    counts = page.locator(".compare-counts")
    expect(counts).to_contain_text("60 → 60")
    expect(counts.locator(".count-added")).to_contain_text("+2")
    expect(counts.locator(".count-removed")).to_contain_text("−2")
    expect(counts.locator(".count-changed")).to_contain_text("6")
    changed = page.locator("table.diff-table").first
    expect(changed.locator("td.cell-changed").first).to_contain_text("1070")
    expect(changed.locator("td.cell-changed ins").first).to_have_text("1570")
    drift = page.locator("table.drift")
    expect(drift.get_by_role("row", name="population").get_by_text("moved")).to_be_visible()
    screenshot(page, "compare")

    # Whole rows instead: the edits count as removed and added.
    page.get_by_role("checkbox", name="id unique").uncheck()
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_text("Whole rows compared")).to_be_visible()
    expect(counts.locator(".count-added")).to_contain_text("+8")
    expect(page.locator(".count-changed")).to_have_count(0)


def test_webhooks_on_the_settings_page(page, dana, eager, settings):
    settings.OUTBOUND_ALLOW_PRIVATE = True
    receiver = Receiver(statuses=[500])
    try:
        sign_in(page)
        page.goto("/w/field/")
        page.get_by_role("link", name="Settings and webhooks").click()
        page.get_by_label("Receiver URL").fill(receiver.url + "/hooks")
        page.get_by_role("checkbox", name="refresh.failed").uncheck()
        page.get_by_role("button", name="Add webhook").click()
        secret = page.locator("#new-secret")
        expect(secret).to_contain_text("whsec_")
        hook = page.get_by_role("article", name=f"Webhook to {receiver.url}/hooks")
        expect(hook.get_by_text("version.ready")).to_be_visible()
        expect(hook.get_by_text("refresh.failed")).to_have_count(0)

        hook.get_by_role("button", name="Send test").click()
        expect(page.locator("#new-secret")).to_have_count(0)  # shown once only
        log = page.locator("table.deliveries")
        # The receiver answered 500 first; the retry (immediate when tasks run eagerly) got a 200.
        rows = log.locator("tbody tr")
        expect(rows.nth(0)).to_contain_text("200")
        expect(rows.nth(1)).to_contain_text("500")
        expect(rows.nth(2)).to_contain_text("The receiver answered 500; only 2xx counts as delivered. Retrying in 30 s")
        assert len(receiver.received) == 2
        screenshot(page, "settings", "article.webhook")
    finally:
        receiver.close()


def test_a_url_dataset_gets_a_refresh_schedule(page, dana, eager, settings):
    settings.OUTBOUND_ALLOW_PRIVATE = True
    user, workspace = dana
    server = FileServer(V1.encode())
    try:
        dataset = dataset_services.dataset_create(workspace=workspace, title="Cities", created_by=user)
        dataset_services.version_create(dataset=dataset, url=server.data_url, created_by=user)
        sign_in(page)
        page.goto("/w/field/cities/")
        panel = page.locator("#refresh")
        expect(panel.get_by_role("heading", name="Scheduled refresh")).to_be_visible()
        panel.get_by_role("radio", name="Every week on").check()
        panel.get_by_label("Day of the week").select_option(label="Wednesday")
        panel.get_by_label("Time of day").fill("07:30")
        panel.get_by_role("button", name="Save schedule").click()
        expect(page.get_by_text("Refresh schedule saved.")).to_be_visible()
        expect(panel).to_contain_text("30 7 * * 3")
        expect(panel).to_contain_text("Wed")

        panel.get_by_role("button", name="Refresh now").click()
        expect(panel.get_by_text("changed")).to_be_visible()
        expect(panel.get_by_role("link", name="version 2")).to_be_visible()
        panel.get_by_role("button", name="Refresh now").click()
        expect(panel.get_by_text("unchanged")).to_be_visible()
        screenshot(page, "refresh-panel", "#refresh")
    finally:
        server.close()
