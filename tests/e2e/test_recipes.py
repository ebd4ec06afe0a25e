import pytest
from playwright.sync_api import expect

from apps.accounts import services
from apps.datasets.models import Dataset

pytestmark = pytest.mark.e2e

PRICES = "item;price;stock\nbolt;3,5;10\nnut;12,25;4\nscrew;7;0\n"


def log_in(page, email, password):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def upload(page, path, title):
    page.goto("/datasets/new/")
    page.get_by_label("File").set_input_files(str(path))
    page.get_by_label("Title").fill(title)
    page.get_by_role("button", name="Upload", exact=True).click()


def test_cast_decimal_commas_to_a_number_and_apply(page, worker, tmp_path):
    services.user_create(email="rosa@example.com", password="a fine passphrase 9", name="Rosa")
    log_in(page, "rosa@example.com", "a fine passphrase 9")
    source = tmp_path / "hardware.csv"
    source.write_text(PRICES)
    upload(page, source, "Hardware")
    page.wait_for_url("**/w/rosas-workspace/hardware/", timeout=60_000)
    schema = page.locator("table.schema")
    expect(schema.get_by_role("row", name="price")).to_contain_text("text")

    # "Change type…" on the price column opens the recipe page with a cast step for it
    page.get_by_role("link", name="Change type of price").click()
    page.wait_for_url("**/w/rosas-workspace/hardware/recipe/?column=price")
    step = page.get_by_role("listitem", name="Step 1: Change type")
    expect(step.get_by_label("Column")).to_have_value("price")
    expect(step.get_by_label("New type")).to_have_value("float")
    # with a dot as decimal separator, "3,5" and "12,25" do not convert: the preview says so
    expect(step.get_by_test_id("step-result")).to_contain_text("2 values do not convert")
    expect(step.get_by_test_id("step-result")).to_contain_text("“12,25”, “3,5”")

    step.get_by_label("Decimal separator").select_option(",")
    expect(step.get_by_test_id("step-result")).to_contain_text("3 rows kept")
    expect(step.get_by_test_id("step-result")).not_to_contain_text("do not convert")
    preview = page.get_by_role("table", name="Preview after the steps")
    expect(preview.get_by_role("cell", name="3.5", exact=True)).to_be_visible()
    expect(preview.get_by_role("cell", name="12.25", exact=True)).to_be_visible()
    expect(preview.get_by_role("columnheader", name="price")).to_contain_text("float")

    page.get_by_role("button", name="Apply and build version 2").click()
    expect(page.get_by_role("progressbar", name="Job progress")).to_be_visible()
    page.wait_for_url("**/w/rosas-workspace/hardware/", timeout=60_000)
    expect(page.get_by_text("version 2 · current")).to_be_visible()
    expect(page.locator("table.schema").get_by_role("row", name="price")).to_contain_text("float")
    expect(page.get_by_role("grid", name="Data grid").get_by_role("gridcell", name="12.25")).to_be_visible()
    expect(page.get_by_role("row", name="v2").get_by_text("revision 1")).to_be_visible()

    # the recipe page now shows the saved step, and a viewer would see it read-only
    page.get_by_role("link", name="Recipe", exact=True).click()
    expect(page.get_by_text("revision 1", exact=True)).to_be_visible()
    expect(page.get_by_role("listitem", name="Step 1: Change type").get_by_label("Decimal separator")).to_have_value(
        ","
    )


def test_viewers_see_the_recipe_read_only(page, worker, tmp_path):
    owner = services.user_create(email="olga@example.com", password="a fine passphrase 9", name="Olga")
    viewer = services.user_create(email="vic@example.com", password="a fine passphrase 9", name="Vic")
    services.membership_set(workspace=owner.workspaces.get(), user=viewer, role="viewer")
    log_in(page, "olga@example.com", "a fine passphrase 9")
    source = tmp_path / "stock.csv"
    source.write_text(PRICES)
    upload(page, source, "Stock")
    page.wait_for_url("**/w/olgas-workspace/stock/", timeout=60_000)
    page.goto("about:blank")  # no request of the owner's page may still be under way when the cookies go
    page.context.clear_cookies()

    log_in(page, "vic@example.com", "a fine passphrase 9")
    page.goto("/w/olgas-workspace/stock/")
    expect(page.get_by_role("link", name="Change type of price")).to_have_count(0)
    page.get_by_role("link", name="Recipe", exact=True).click()
    expect(page.get_by_text("You can read this recipe; editors of")).to_be_visible()
    expect(page.get_by_role("button", name="Add step")).to_have_count(0)
    expect(page.get_by_role("button", name="Apply and build version 2")).to_have_count(0)
    expect(page.get_by_text("No steps yet")).to_be_visible()
    # the preview shows the data before the recipe: editors only
    expect(page.get_by_role("table", name="Preview after the steps")).to_have_count(0)


CANVAS_DRAWN = """(element) => {
  const canvas = element && element.querySelector('canvas');
  if (!canvas || !canvas.width) return false;
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return true;
  return false;
}"""


def csrf_token(page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")


def test_a_day_first_file_lands_with_its_dates_typed(page, worker, tmp_path):
    services.user_create(email="dora@example.com", password="a fine passphrase 9", name="Dora")
    log_in(page, "dora@example.com", "a fine passphrase 9")
    source = tmp_path / "rainfall.csv"
    source.write_text("day,rain_mm\n03/01/2024,1.5\n28/01/2024,0\n14/02/2024,7.25\n02/03/2024,3\n")
    upload(page, source, "Rainfall")
    page.wait_for_url("**/w/doras-workspace/rainfall/", timeout=60_000)
    day = page.locator("table.schema").get_by_role("row", name="day")
    expect(day).to_contain_text("date")
    expect(day).to_contain_text("%d/%m/%Y")
    expect(day).to_contain_text("2024-01-03")  # the minimum, as an ISO date
    expect(page.get_by_role("grid", name="Data grid").get_by_role("gridcell", name="2024-02-14")).to_be_visible()

    # The chart builder proposes a line over months for the date column, and draws it.
    page.goto(page.url + "explore/")
    expect(page.get_by_label("Chart type")).to_have_value("line")
    expect(page.get_by_label("X axis")).to_have_value("day")
    expect(page.get_by_label("Bucket")).to_have_value("month")
    page.wait_for_function(CANVAS_DRAWN, arg=page.locator(".chart-frame").first.element_handle())
    dataset = Dataset.objects.get(slug="rainfall")
    months = page.request.post(
        f"/api/v1/datasets/{dataset.pk}/query/",
        data={"group_by": [{"column": "day", "bucket": "month"}], "measures": [{"fn": "sum", "column": "rain_mm"}]},
        headers={"X-CSRFToken": csrf_token(page)},
    ).json()["rows"]
    assert [(row["day"], row["sum_rain_mm"]) for row in months] == [
        ("2024-01-01", 1.5),
        ("2024-02-01", 7.25),
        ("2024-03-01", 3.0),
    ]
