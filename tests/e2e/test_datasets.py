import pytest
from playwright.sync_api import expect

from apps.accounts import services

pytestmark = pytest.mark.e2e

FIRST = "city,zip,population,founded\nLyon,69001,522250,-43\nBrest,29200,139602,1593\nNice,06000,342669,-350\n"
SECOND = FIRST + "Lille,59000,236710,640\n"


def test_upload_watch_ingest_then_a_second_version(page, worker, tmp_path):
    services.user_create(email="dana@example.com", password="a fine passphrase 9", name="Dana")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("dana@example.com")
    page.get_by_label("Password").fill("a fine passphrase 9")
    page.get_by_role("button", name="Sign in").click()

    first = tmp_path / "french_cities.csv"
    first.write_text(FIRST)
    page.goto("/datasets/new/")
    page.get_by_label("File").set_input_files(str(first))
    # The title stays empty: the server names the dataset after the file (`title_from_source`).
    expect(page.get_by_label("Title")).to_have_value("")
    expect(page.get_by_text("Left empty, the dataset is named after the file, “french_cities.csv”.")).to_be_visible()
    page.get_by_role("button", name="Upload", exact=True).click()

    # The island follows the job, then opens the dataset page.
    page.wait_for_url("**/w/danas-workspace/french-cities/", timeout=60_000)
    expect(page.get_by_role("heading", name="french cities", exact=True)).to_be_visible()
    schema = page.locator("table.schema")
    expect(schema.get_by_role("row", name="zip")).to_contain_text("text")
    expect(schema.get_by_role("row", name="population")).to_contain_text("integer")
    grid = page.get_by_role("grid", name="Data grid")
    expect(grid.get_by_role("gridcell", name="06000")).to_be_visible()
    expect(page.get_by_test_id("grid-count")).to_have_text("3 rows")

    second = tmp_path / "french_cities_v2.csv"
    second.write_text(SECOND)
    page.get_by_label("File").set_input_files(str(second))
    page.get_by_role("button", name="Upload new version").click()
    expect(page.get_by_text("version 2 · current")).to_be_visible(timeout=60_000)
    expect(page.get_by_role("grid", name="Data grid").get_by_role("gridcell", name="Lille")).to_be_visible()
    expect(page.get_by_role("link", name="v1")).to_be_visible()
