import datetime

import pytest
from playwright.sync_api import expect

from apps.accounts import services
from apps.datasets import services as dataset_services
from conftest import publish_table

pytestmark = pytest.mark.e2e

COLUMNS = [
    {"name": "date", "original_name": "date", "type": "date", "nullable": False},
    {"name": "weather", "original_name": "weather", "type": "text", "nullable": False},
    {"name": "temp_max", "original_name": "temp_max", "type": "float", "nullable": False},
]
TABLE = {
    "date": [datetime.date(2024, 1, d) for d in (1, 2, 3, 4, 5, 6)],
    "weather": ["rain", "sun", "rain", "fog", "rain", "sun"],
    "temp_max": [8.5, 12.0, 6.25, 9.0, 7.5, 14.0],
}

CANVAS_DRAWN = """(tile) => {
  const canvas = tile.querySelector('canvas');
  if (!canvas || !canvas.width) return false;
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return true;
  return false;
}"""


def test_grid_chart_dashboard_and_share_link(page, browser, live_server):
    owner = services.user_create(email="erin@example.com", password="a fine passphrase 9", name="Erin")
    workspace = owner.workspaces.get()
    dataset = dataset_services.dataset_create(workspace=workspace, title="Weather", created_by=owner)
    publish_table(dataset, TABLE, COLUMNS, owner)

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("erin@example.com")
    page.get_by_label("Password").fill("a fine passphrase 9")
    page.get_by_role("button", name="Sign in").click()

    # The grid: filter and sort on the server.
    page.goto(dataset.get_absolute_url())
    grid = page.get_by_role("grid", name="Data grid")
    expect(page.get_by_test_id("grid-count")).to_have_text("6 rows")
    page.get_by_label("Filter weather").fill("rain")
    expect(page.get_by_test_id("grid-count")).to_have_text("3 of 6 rows")
    grid.get_by_role("columnheader", name="temp_max").click()
    expect(grid.get_by_role("columnheader", name="temp_max")).to_have_attribute("aria-sort", "ascending")
    first_row = grid.get_by_role("row").nth(2)
    expect(first_row).to_contain_text("6.25")
    assert "g.f.weather__icontains=rain" in page.url

    # The chart builder: a bar chart of counts by weather, saved onto a new dashboard.
    page.get_by_role("link", name="Explore and chart").click()
    page.get_by_label("Chart type").select_option("bar")
    page.get_by_label("X axis").select_option("weather")
    preview = page.get_by_test_id("chart-preview")
    expect(preview.locator("canvas")).to_be_visible()
    page.get_by_label("Title").fill("Days by weather")
    page.get_by_role("button", name="Save chart").click()
    add = page.get_by_role("form", name="Add to dashboard")
    expect(add.get_by_label("Dashboard", exact=True)).to_be_enabled()
    add.get_by_label("Dashboard", exact=True).select_option(label="New dashboard…")
    add.get_by_label("New dashboard title").fill("Ops")
    add.get_by_role("button", name="Add to dashboard").click()
    page.get_by_role("link", name="Ops").click()
    page.wait_for_url("**/w/erins-workspace/dashboards/ops/")
    page.reload()
    tile = page.get_by_test_id("tile").filter(has_text="Days by weather")
    expect(tile.locator("canvas")).to_be_visible()
    page.wait_for_function(CANVAS_DRAWN, arg=tile.element_handle(), timeout=15_000)

    # A share link opens the dashboard read-only in a fresh browser with no session.
    page.get_by_role("button", name="Share").click()
    page.get_by_role("button", name="Create share link").click()
    url = page.locator(".dashboard-share-url code").first.inner_text()
    visitor = browser.new_context()
    shared = visitor.new_page()
    shared.goto(url)
    shared_tile = shared.get_by_test_id("tile").filter(has_text="Days by weather")
    expect(shared_tile.locator("canvas")).to_be_visible()
    shared.wait_for_function(CANVAS_DRAWN, arg=shared_tile.element_handle(), timeout=15_000)
    expect(shared.get_by_role("button", name="Edit layout")).to_have_count(0)
    assert shared.request.get(f"{live_server.url}/api/v1/datasets/{dataset.pk}/rows/").status == 404
    visitor.close()
