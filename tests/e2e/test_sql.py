"""The SQL editor in a browser: write a join with completion, run it, save it, materialize it, chart it."""

import os

import pytest
from playwright.sync_api import expect

from apps.accounts import services
from apps.datasets import services as dataset_services
from apps.sql.tests.conftest import STATION_COLUMNS, STATIONS
from conftest import WEATHER, WEATHER_COLUMNS, publish_table

pytestmark = pytest.mark.e2e

CANVAS_DRAWN = """(root) => {
  const canvas = root.querySelector('canvas');
  if (!canvas || !canvas.width) return false;
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return true;
  return false;
}"""


def shoot(page, name: str) -> None:
    """Screenshots for looking at the pages by hand: SCREENSHOT_DIR=... pytest tests/e2e/test_sql.py."""
    if folder := os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


def test_write_run_save_materialize_and_chart(page, worker):
    owner = services.user_create(email="erin@example.com", password="a fine passphrase 9", name="Erin")
    workspace = owner.workspaces.get()
    for title, table, columns in (("Weather", WEATHER, WEATHER_COLUMNS), ("Stations", STATIONS, STATION_COLUMNS)):
        dataset = dataset_services.dataset_create(workspace=workspace, title=title, created_by=owner)
        publish_table(dataset, table, columns, owner)

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("erin@example.com")
    page.get_by_label("Password").fill("a fine passphrase 9")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/w/{workspace.slug}/")
    page.get_by_role("link", name="SQL editor").click()
    expect(page.get_by_role("heading", name="SQL", exact=True)).to_be_visible()
    side = page.get_by_role("complementary", name="Tables and queries")
    expect(side.get_by_text("stations", exact=True)).to_be_visible()

    # Write a join, completing a table name and a column name from the schemas.
    editor = page.get_by_test_id("sql-input")
    editor.click()
    # Spaces, not newlines: Enter would accept whatever completion is open.
    page.keyboard.type("SELECT s.city, count(*) AS readings, max(w.temp_max) AS hottest FROM weather w JOIN stat")
    completion = page.locator(".cm-tooltip-autocomplete")
    expect(completion.get_by_role("option", name="stations")).to_be_visible()
    page.wait_for_timeout(300)  # CodeMirror ignores Enter in the first 75 ms of a popup, against slips
    page.keyboard.press("Enter")
    page.keyboard.type(" s ON s.station = w.station GROUP BY s.ci")
    expect(completion.get_by_role("option", name="city")).to_be_visible()
    page.wait_for_timeout(300)
    page.keyboard.press("Enter")
    page.keyboard.type(" ORDER BY readings DESC")
    page.keyboard.press("Escape")
    expect(editor).to_contain_text("JOIN stations s ON s.station = w.station")
    expect(editor).to_contain_text("GROUP BY s.city ORDER BY readings DESC")
    page.keyboard.press("Control+Enter")

    results = page.get_by_role("grid", name="Query results")
    expect(page.get_by_test_id("grid-count")).to_have_text("2 rows")
    first, second = (
        results.locator('[role="row"][aria-rowindex="2"]'),
        results.locator('[role="row"][aria-rowindex="3"]'),
    )
    expect(first.get_by_role("gridcell")).to_have_text(["Lyon", "3", "9"])
    expect(second.get_by_role("gridcell")).to_have_text(["Nice", "1", "12"])
    expect(page.get_by_text("read Weather v1, Stations v1")).to_be_visible()
    shoot(page, "sql-editor-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, "sql-editor-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Save it: the saved query opens by its URL and is listed for the workspace.
    page.get_by_label("Save as a query").fill("Readings by city")
    page.get_by_role("button", name="Save query").click()
    page.wait_for_url("**/sql/?query=*")
    expect(page.get_by_role("heading", name="Readings by city")).to_be_visible()
    expect(side.get_by_role("link", name="Readings by city")).to_be_visible()
    expect(side.get_by_role("link", name="SELECT s.city, count(*) AS readings")).to_be_visible()  # the history

    # Materialize it as a dataset, then chart it in the chart builder.
    page.get_by_role("button", name="Save as dataset").click()
    derived = page.get_by_role("region", name="Derived dataset")
    expect(derived.get_by_text("Ready.")).to_be_visible(timeout=60_000)
    derived.get_by_role("link", name="Open the dataset").click()
    expect(page.get_by_role("heading", name="Derived from SQL")).to_be_visible()
    expect(page.get_by_text("Weather v1")).to_be_visible()
    shoot(page, "derived-dataset")
    page.get_by_role("link", name="Explore and chart").click()
    page.get_by_label("Chart type").select_option("bar")
    page.get_by_label("X axis").select_option("city")
    preview = page.get_by_test_id("chart-preview")
    expect(preview.locator("canvas")).to_be_visible()
    page.wait_for_function(CANVAS_DRAWN, arg=preview.element_handle(), timeout=15_000)
