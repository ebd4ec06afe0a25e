"""A dataset whose first version failed, as an editor finds it in the catalog: why, and a way out."""

import pytest
from playwright.sync_api import expect

from apps.accounts import services as account_services
from apps.datasets import services

pytestmark = pytest.mark.e2e

NOT_FOUND = "The server answered 404 Not Found for https://example.com/data/rainfall.csv."


@pytest.mark.parametrize("width", [1366, 390])
def test_an_editor_reads_why_a_dataset_failed_and_deletes_it_from_the_catalog(page, width):
    owner = account_services.user_create(email="dana@example.com", password="a fine passphrase 9", name="Dana")
    workspace = account_services.workspace_create(name="Acme Analytics", slug="acme", owner=owner)
    dataset = services.dataset_create(workspace=workspace, title="rainfall", created_by=owner)
    version, _ = services.version_create(dataset=dataset, url="https://example.com/data/rainfall.csv", created_by=owner)
    services.version_fail(version=version, error=NOT_FOUND)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("dana@example.com")
    page.get_by_label("Password").fill("a fine passphrase 9")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")

    page.goto("/datasets/?q=rain")
    row = page.get_by_role("row", name="rainfall")
    expect(row.get_by_text("failed", exact=True)).to_be_visible()
    expect(row.get_by_text(NOT_FOUND)).to_be_visible()
    expect(row.get_by_role("button", name="Import the URL again")).to_be_visible()
    # Nothing sticks out sideways, on a phone either.
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    row.get_by_text("Delete…").click()
    row.get_by_role("button", name="Delete for good").click()

    page.wait_for_url("**/datasets/?q=rain")
    expect(page.get_by_text("“rainfall” and all its versions were deleted.")).to_be_visible()
    expect(page.get_by_role("row", name="rainfall")).to_have_count(0)
