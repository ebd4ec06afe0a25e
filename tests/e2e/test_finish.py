"""Every page finished: accessible (axe-core), readable on a phone, and the island details people notice."""

import datetime
import json
import math
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from apps.accounts import services
from apps.dashboards import services as dashboard_services
from apps.datasets import services as dataset_services
from apps.datasets.models import Version
from apps.datasets.services.versions import version_publish
from dataplane.ingest.pipeline import ingest_file
from tests.e2e.test_accounts import sign_up

pytestmark = pytest.mark.e2e

PASSWORD = "a fine passphrase 9"
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}

CANVAS_DRAWN = """(element) => {
  const canvas = element.querySelector('canvas');
  if (!canvas || !canvas.width) return false;
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return true;
  return false;
}"""

# Whether the tile's canvas has pixels of this colour (give or take antialiasing).
HAS_COLOR = """([element, hex]) => {
  const canvas = element.querySelector('canvas');
  if (!canvas || !canvas.width) return false;
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let found = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    if (Math.abs(pixels[i] - r) < 4 && Math.abs(pixels[i + 1] - g) < 4 && Math.abs(pixels[i + 2] - b) < 4) found += 1;
  }
  return found > 50;
}"""


def weather_csv(days: int = 1461) -> str:
    """Four years of a Seattle-like daily weather record, the same every run."""
    kinds = ["drizzle", "rain", "sun", "snow", "fog"]
    lines = ["date,precipitation,temp_max,temp_min,wind,weather"]
    start = datetime.date(2012, 1, 1)
    for i in range(days):
        season = math.sin(2 * math.pi * (i % 365) / 365 - math.pi / 2)
        temp_max = round(16 + 10 * season + (i * 7 % 11) / 3, 1)
        precipitation = "" if i % 97 == 5 else round((i * 13 % 17) / 2.5, 1)
        lines.append(
            f"{start + datetime.timedelta(days=i)},{precipitation},{temp_max},"
            f"{round(temp_max - 8 - (i % 5), 1)},{round(1 + (i * 3 % 9) / 2, 1)},{kinds[(i * 7 + i // 30) % 5]}"
        )
    return "\n".join(lines) + "\n"


def ingest_text(dataset, text: str, user, name: str = "seattle-weather.csv") -> Version:
    """A version through the real ingest pipeline, without a worker in between."""
    version = Version.objects.create(
        dataset=dataset,
        number=dataset_services.next_version_number(dataset),
        source_kind="upload",
        source_name=name,
        created_by=user,
    )
    version.upload_dir.mkdir(parents=True, exist_ok=True)
    source = version.upload_dir / "source"
    source.write_text(text)
    result = ingest_file(source, version.path, work_dir=version.upload_dir)
    version_publish(version=version, result=result.to_dict())
    return version


@pytest.fixture
def site(db):
    """A signed-up owner with a public weather dataset in two versions, charts, a dashboard and a share link."""
    owner = services.user_create(email="erin@example.com", password=PASSWORD, name="Erin")
    workspace = owner.workspaces.get()
    dataset = dataset_services.dataset_create(
        workspace=workspace,
        title="Seattle weather",
        description="Daily weather in Seattle, 2012 to 2015.",
        visibility="public",
        created_by=owner,
    )
    ingest_text(dataset, weather_csv(1400), owner)
    ingest_text(dataset, weather_csv(), owner)
    dataset.refresh_from_db()
    by_month = dashboard_services.chart_create(
        dataset=dataset,
        title="Average temp_max by month",
        chart_type="line",
        query={"group_by": [{"column": "date", "bucket": "month"}], "measures": [{"fn": "avg", "column": "temp_max"}]},
        options={"x": "date"},
        created_by=owner,
    )
    by_weather = dashboard_services.chart_create(
        dataset=dataset,
        title="Days by weather",
        chart_type="bar",
        query={"group_by": [{"column": "weather"}], "measures": [{"fn": "count"}]},
        options={"x": "weather"},
        created_by=owner,
    )
    dashboard = dashboard_services.dashboard_create(
        workspace=workspace,
        title="Seattle overview",
        created_by=owner,
        tiles=[
            {"chart": by_month, "x": 0, "y": 0, "w": 6, "h": 4},
            {"chart": by_weather, "x": 6, "y": 0, "w": 6, "h": 4},
            {"text": "Four years of daily weather at Seattle airport.", "x": 0, "y": 4, "w": 12, "h": 2},
        ],
    )
    link = dashboard_services.share_link_create(dashboard=dashboard, created_by=owner)
    return {
        "owner": owner,
        "workspace": workspace,
        "dataset": dataset,
        "dashboard": dashboard,
        "share_url": f"/s/{link.token}/",
        "charts": [by_month, by_weather],
    }


def sign_in(page, email: str = "erin@example.com", password: str = PASSWORD):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def axe_violations(page) -> list[str]:
    """Serious and critical axe-core violations on the page as it is now, one line each."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => {
          const result = await axe.run(document, { resultTypes: ["violations"] });
          return result.violations
            .filter((v) => v.impact === "serious" || v.impact === "critical")
            .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join(", ")}`);
        }"""
    )
    # aria-describedby must name elements that exist (axe only checks that one of them does).
    found += page.evaluate(
        """() => [...document.querySelectorAll("[aria-describedby]")].flatMap((el) =>
          el.getAttribute("aria-describedby").split(/\\s+/).filter((id) => id && !document.getElementById(id))
            .map((id) => `aria-describedby of ${el.id || el.tagName} names a missing #${id}`))"""
    )
    return found


def settle(page):
    """Wait until the islands have mounted and fetched what they show first."""
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)


def pages_of(site) -> tuple[list[str], list[str]]:
    dataset = site["dataset"]
    signed_out = [
        "/",
        "/datasets/",
        "/accounts/login/",
        "/accounts/signup/",
        site["share_url"],
        dataset.get_absolute_url(),
    ]
    signed_in = [
        "/",
        "/datasets/",
        dataset.get_absolute_url(),
        f"{dataset.get_absolute_url()}v/1/",
        f"{dataset.get_absolute_url()}explore/",
        site["dashboard"].get_absolute_url(),
        "/accounts/settings/",
        f"/w/{site['workspace'].slug}/",
        "/datasets/new/",
    ]
    return signed_out, signed_in


@pytest.fixture
def axe_page(browser, live_server):
    """A page whose context lets the test inject axe-core under the app's CSP; its own errors still fail."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


def test_every_page_passes_axe_core(axe_page, site):
    page = axe_page
    signed_out, signed_in = pages_of(site)
    problems = {}
    for url in signed_out:
        page.goto(url)
        settle(page)
        problems[f"signed out {url}"] = axe_violations(page)
    sign_in(page)
    for url in signed_in:
        page.goto(url)
        settle(page)
        problems[url] = axe_violations(page)
    failing = {url: found for url, found in problems.items() if found}
    assert failing == {}, "\n".join(f"{url}: {found}" for url, found in failing.items())


def test_phone_layout_never_scrolls_sideways(browser, live_server, site):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    sign_in(page)
    dataset = site["dataset"]
    for url in [
        dataset.get_absolute_url(),
        site["dashboard"].get_absolute_url(),
        "/",
        "/datasets/",
        f"/w/{site['workspace'].slug}/",
    ]:
        page.goto(url)
        settle(page)
        widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], f"{url} is {widths[0]} px wide on a {widths[1]} px phone"
        # The header fits: every item of the top bar is inside the screen.
        right = page.evaluate(
            "Math.max(...[...document.querySelectorAll('.topbar-inner > *')]"
            ".map((e) => e.getBoundingClientRect().right))"
        )
        assert right <= widths[1]
    # Tables scroll inside their card instead of pushing the page wider.
    page.goto(dataset.get_absolute_url())
    versions = page.locator("table.versions")
    expect(versions).to_be_visible()
    assert page.evaluate(
        "(t) => t.closest('.card').getBoundingClientRect().right <= innerWidth", versions.element_handle()
    )
    context.close()


def test_skip_link_and_current_navigation_item(page, site):
    page.goto("/datasets/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Datasets")).to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("link", name="Home")).not_to_have_attribute("aria-current", "page")
    # A visitor sees public datasets only: no "Private" filter to choose.
    expect(page.get_by_label("Visibility")).to_have_count(0)
    expect(page.get_by_role("link", name="Seattle weather")).to_be_visible()


def test_dataset_and_old_version_pages(browser, live_server, page, site):
    dataset = site["dataset"]
    sign_in(page)
    page.goto(dataset.get_absolute_url())
    crumbs = page.get_by_role("navigation", name="Breadcrumb")
    expect(crumbs).to_have_text("Erin's workspace / Seattle weather")
    expect(crumbs.locator("[aria-current=page]")).to_have_text("Seattle weather")
    # One row count: the grid's, not a second one in the heading.
    expect(page.get_by_role("heading", name="Data", exact=True)).to_be_visible()
    expect(page.get_by_test_id("grid-count")).to_have_text("1,461 rows")
    schema = page.locator("table.schema")
    expect(schema.get_by_role("row", name="date")).to_contain_text("1,461")
    mean = schema.get_by_role("row", name="temp_max").locator("td").nth(6)
    expect(mean).to_have_text(re.compile(r"^\d{1,2}\.\d{1,2}$"))
    assert mean.evaluate("(td) => getComputedStyle(td).textAlign") == "right"
    # "26.0" in the profile's top values reads "26", as the grid shows it.
    top = schema.get_by_role("row", name="temp_max").locator("td.top-values")
    expect(top).not_to_contain_text(".0 ")
    expect(page.get_by_role("heading", name="New version")).to_be_visible()
    # On a desktop the versions table shows every column, down to when each version was added.
    versions = page.locator("table.versions")
    expect(versions.get_by_role("columnheader", name="Added")).to_be_visible()
    assert versions.locator("xpath=..").evaluate("(wrap) => wrap.scrollWidth <= wrap.clientWidth")

    page.goto(f"{dataset.get_absolute_url()}v/1/")
    expect(page.get_by_text("This is version 1, not the current one.")).to_be_visible()
    expect(page.get_by_text("version 1 · not current")).to_be_visible()
    expect(
        page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Seattle weather")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="New version")).to_have_count(0)
    expect(page.get_by_role("link", name="Edit", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Delete…")).to_have_count(0)
    page.get_by_role("link", name="Go to version 2").click()
    expect(page.get_by_text("version 2 · current")).to_be_visible()

    # Without JavaScript: the preview table aligns numbers right and groups thousands like the profile.
    # (Playwright's text locators skip <noscript>, so these read the DOM directly.)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    plain = context.new_page()
    plain.goto(dataset.get_absolute_url())
    preview = plain.evaluate(
        """() => {
          const table = document.querySelector("table.preview-table");
          const cells = [...table.querySelectorAll("tbody tr:first-child td")];
          return {
            shown: table.getBoundingClientRect().height > 0,
            header: [...table.querySelectorAll("th")].map((th) => [th.textContent, getComputedStyle(th).textAlign]),
            first: cells.map((td) => [td.textContent, getComputedStyle(td).textAlign]),
          };
        }"""
    )
    assert preview["shown"]
    assert "The first 50 of 1,461 rows:" in plain.content()
    assert preview["header"][2] == ["temp_max", "right"]
    assert preview["first"] == [
        ["2012-01-01", "start"],
        ["0", "right"],
        ["6", "right"],
        ["-2", "right"],
        ["1", "right"],
        ["drizzle", "start"],
    ]
    assert ">None<" not in plain.content()
    context.close()


def test_grid_filter_row_fits_the_data_and_the_width(page, site):
    sign_in(page)
    page.goto(site["dataset"].get_absolute_url())
    expect(page.get_by_test_id("grid-count")).to_have_text("1,461 rows")
    # The null choice only where the column has nulls (precipitation has a few).
    expect(page.get_by_label("Nulls in precipitation")).to_be_visible()
    expect(page.get_by_label("Nulls in temp_max")).to_have_count(0)
    expect(page.get_by_label("Nulls in date")).to_have_count(0)
    # A date column has one compact control, typed in ISO as the data is: a month here.
    period = page.get_by_label("Filter date")
    assert period.get_attribute("type") == "text"
    period.fill("2013-02")
    expect(page.get_by_test_id("grid-count")).to_have_text("28 of 1,461 rows")
    expect(page.locator('[role="row"][aria-rowindex="3"] [role="gridcell"]').first).to_have_text("2013-02-01")
    period.fill("2013-02-30")
    expect(period).to_have_attribute("aria-invalid", "true")
    # The columns share the grid's whole width: no empty band on the right of the last one.
    fill = page.locator(".island-grid-viewport").evaluate(
        "(viewport) => [viewport.querySelector('.island-grid-header-row').scrollWidth, viewport.clientWidth]"
    )
    assert abs(fill[0] - fill[1]) <= 1, fill


def test_no_javascript_processing_page_refreshes_until_ready(browser, live_server, site):
    from apps.datasets.services.versions import version_publish as publish
    from apps.jobs.models import Job

    dataset, owner = site["dataset"], site["owner"]
    job = Job.objects.create(kind="ingest", created_by=owner, workspace=site["workspace"], stage="Waiting for a worker")
    version = Version.objects.create(dataset=dataset, number=3, source_kind="upload", source_name="more.csv", job=job)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    plain = context.new_page()
    sign_in(plain)
    job_cell = plain.locator("td", has_text="Ingest of Seattle weather")
    expect(job_cell).to_contain_text("version 3")
    expect(job_cell.get_by_role("link", name="Seattle weather")).to_have_attribute("href", dataset.get_absolute_url())
    plain.goto(dataset.get_absolute_url())
    expect(plain.get_by_role("heading", name="Processing version 3")).to_be_visible()
    assert 'http-equiv="refresh"' in plain.content()

    version.path.parent.mkdir(parents=True, exist_ok=True)
    source = version.path.parent / "more.csv"
    source.write_text(weather_csv(30))
    publish(version=version, result=ingest_file(source, version.path).to_dict())
    # No click, no reload by hand: the page comes back by itself with the new version.
    expect(plain.get_by_text("version 3 · current")).to_be_visible(timeout=20_000)
    assert 'http-equiv="refresh"' not in plain.content()
    context.close()


def test_settings_new_account_and_token_feedback(page, site):
    sign_up(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to Datamill, Ada")

    page.goto("/accounts/settings/")
    settle(page)
    # Nothing grabs the focus: the first Tab lands on the skip link, then the token form comes first.
    assert page.evaluate("document.activeElement === document.body")
    page.get_by_role("form", name="New API token").get_by_label("Name").fill("ci")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("button", name="Revoke ci")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Revoke ci").click()
    expect(page.get_by_role("status").filter(has_text="Revoked “ci”")).to_be_visible()

    # Erin signed up long ago: welcomed back.
    other = page.context.browser.new_context(base_url=page.url.split("/accounts")[0])
    site["owner"].__class__.objects.filter(pk=site["owner"].pk).update(
        date_joined=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    )
    back = other.new_page()
    sign_in(back)
    expect(back.get_by_role("heading", level=1)).to_have_text("Welcome back, Erin")
    other.close()


def test_api_docs_summaries_and_the_api_root(page, site):
    schema = page.request.get("/api/schema/?format=json").json()
    missing = [
        f"{method.upper()} {path}"
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if not operation.get("summary") or not operation.get("description")
    ]
    assert missing == []
    page.goto("/api/docs/")
    expect(page.get_by_text("List datasets")).to_be_visible()
    expect(page.get_by_text("Aggregate the current version").first).to_be_visible()
    page.get_by_role("link", name="← Back to Datamill").click()
    page.wait_for_url("**/")
    # The browsable API is DRF's own page (its inline styles are refused by our CSP): read its text.
    root = page.request.get("/api/v1/", headers={"Accept": "text/html"}).text()
    assert "Datamill API" in root and "The Datamill REST API" in root
    assert "The default basic root view" not in root


def test_saved_charts_are_listed_and_open_in_the_builder(page, site):
    sign_in(page)
    page.goto(site["dataset"].get_absolute_url())
    charts = page.get_by_role("region", name="Charts using this dataset")
    row = charts.get_by_role("row").filter(has_text="Average temp_max by month")
    expect(row.get_by_role("link", name="Seattle overview")).to_have_attribute(
        "href", site["dashboard"].get_absolute_url()
    )
    expect(charts.get_by_role("row").filter(has_text="Days by weather")).to_contain_text("Bar")
    row.get_by_role("link", name="Average temp_max by month").click()
    page.wait_for_url(f"**/explore/?chart={site['charts'][0].pk}*")
    expect(page.get_by_label("Title", exact=True)).to_have_value("Average temp_max by month")

    page.goto(f"/w/{site['workspace'].slug}/")
    charts = page.get_by_role("region", name="Charts")
    row = charts.get_by_role("row").filter(has_text="Days by weather")
    expect(row.get_by_role("link", name="Seattle weather")).to_be_visible()
    expect(row.get_by_role("link", name="Seattle overview")).to_be_visible()
    row.get_by_role("link", name="Days by weather").click()
    expect(page.get_by_label("Title", exact=True)).to_have_value("Days by weather")

    # A visitor to the public dataset sees no workspace's charts. (The builder's own requests end first:
    # leaving the page before the cookies go keeps them from being answered 401.)
    page.goto("about:blank")
    page.context.clear_cookies()
    page.goto(site["dataset"].get_absolute_url())
    expect(page.get_by_role("region", name="Charts using this dataset")).to_have_count(0)


def explore(page, site, chart=None):
    url = f"{site['dataset'].get_absolute_url()}explore/"
    page.goto(f"{url}?chart={chart.pk}" if chart is not None else url)
    expect(page.get_by_test_id("chart-preview").locator("canvas")).to_be_visible()


def add_to_dashboard(page, name: str, new: bool = False):
    add = page.get_by_role("form", name="Add to dashboard")
    expect(add.get_by_label("Dashboard", exact=True)).to_be_enabled()
    if new:
        add.get_by_label("Dashboard", exact=True).select_option(label="New dashboard…")
        add.get_by_label("New dashboard title").fill(name)
    else:
        add.get_by_label("Dashboard", exact=True).select_option(label=name)
    add.get_by_role("button", name="Add to dashboard").click()
    expect(page.get_by_role("link", name=name)).to_be_visible()


def test_builder_save_as_new_new_chart_and_state_in_the_url(page, site):
    from apps.dashboards.models import Chart

    by_month = site["charts"][0]
    sign_in(page)
    explore(page, site, by_month)
    title = page.get_by_label("Title", exact=True)
    expect(title).to_have_value("Average temp_max by month")

    # An unsaved change lives in the URL: a reload (or a shared link) opens the builder as it was.
    page.get_by_label("Bucket").select_option("year")
    title.fill("Average temp_max by year")
    page.wait_for_function("new URLSearchParams(location.search).has('b')")
    page.reload()
    expect(page.get_by_label("Bucket")).to_have_value("year")
    expect(page.get_by_label("Title", exact=True)).to_have_value("Average temp_max by year")
    expect(page.get_by_text("You have unsaved changes.")).to_be_visible()

    # Save as new: a second chart; the first one is left as it was.
    page.get_by_role("button", name="Save as new").click()
    expect(page.get_by_role("status").filter(has_text="Saved “Average temp_max by year”")).to_be_visible()
    copy = Chart.objects.exclude(pk__in=[c.pk for c in site["charts"]]).get()
    assert copy.query["group_by"] == [{"bucket": "year", "column": "date"}]
    by_month.refresh_from_db()
    assert by_month.query["group_by"] == [{"bucket": "month", "column": "date"}]
    page.wait_for_url(f"**/explore/?chart={copy.pk}")

    # New chart: the builder starts over with the chart it proposes for this dataset.
    page.get_by_role("button", name="New chart").click()
    expect(page.get_by_label("Title", exact=True)).to_have_value("")
    expect(page.get_by_role("heading", name="Count by month")).to_be_visible()
    expect(page.get_by_role("button", name="Save as new")).to_have_count(0)
    assert "chart=" not in page.url
    page.get_by_label("Title", exact=True).fill("Days per month")
    page.get_by_role("button", name="Save chart").click()
    expect(page.get_by_role("status").filter(has_text="Saved “Days per month”")).to_be_visible()
    assert Chart.objects.count() == 4


def test_raw_scatter_draws_points_and_says_when_it_is_cut(page, site):
    from apps.dashboards.models import Chart

    sign_in(page)
    explore(page, site)
    page.get_by_label("Chart type").select_option("scatter")
    page.get_by_label("Raw points (no aggregation)").check()
    page.get_by_label("X axis").select_option("temp_min")
    page.get_by_label("Y axis").select_option("temp_max")
    expect(page.get_by_role("heading", name="temp_max against temp_min")).to_be_visible()
    preview = page.get_by_test_id("chart-preview")
    page.wait_for_function(CANVAS_DRAWN, arg=preview.element_handle())
    expect(page.get_by_test_id("sampled-note")).to_have_count(0)

    page.get_by_label("Limit").fill("100")
    expect(page.get_by_test_id("sampled-note")).to_contain_text("Showing the first 100 distinct points only")
    page.get_by_label("Limit").fill("5000")
    expect(page.get_by_test_id("sampled-note")).to_have_count(0)
    page.get_by_role("button", name="Save chart").click()
    expect(page.get_by_role("status").filter(has_text="Saved “temp_max against temp_min”")).to_be_visible()
    chart = Chart.objects.get(title="temp_max against temp_min")
    assert chart.options["raw"] is True
    assert [group["column"] for group in chart.query["group_by"]] == ["temp_min", "temp_max"]
    assert chart.query["measures"] == []


def test_added_charts_sit_side_by_side_and_keep_their_colours_under_a_filter(page, site):
    from apps.dashboards.models import Dashboard

    by_month = site["charts"][0]
    sign_in(page)
    explore(page, site, by_month)
    add_to_dashboard(page, "Ops", new=True)

    # A pie proposes the column with few values, not the date.
    explore(page, site)
    page.get_by_label("Chart type").select_option("pie")
    expect(page.get_by_label("X axis")).to_have_value("weather")
    # The preview of the pie itself (not the last chart's) is drawn before it is saved.
    expect(page.locator(".chart-frame").first).to_have_attribute("data-category-colors", re.compile('"fog"'))
    page.get_by_label("Title", exact=True).fill("Share of weather")
    page.get_by_role("button", name="Save chart").click()
    expect(page.get_by_role("status").filter(has_text="Saved “Share of weather”")).to_be_visible()
    add_to_dashboard(page, "Ops")

    ops = Dashboard.objects.get(title="Ops")
    assert sorted((t.x, t.y, t.w) for t in ops.tiles.all()) == [(0, 0, 6), (6, 0, 6)]
    page.goto(ops.get_absolute_url())
    month_tile = page.get_by_test_id("tile").filter(has_text="Average temp_max by month")
    pie_tile = page.get_by_test_id("tile").filter(has_text="Share of weather")
    page.wait_for_function(CANVAS_DRAWN, arg=pie_tile.element_handle())
    month_box, pie_box = month_tile.bounding_box(), pie_tile.bounding_box()
    assert abs(month_box["y"] - pie_box["y"]) < 2 and pie_box["x"] > month_box["x"] + month_box["width"] / 2
    # The tile's title opens its chart in the builder; the y axis reads as words.
    expect(month_tile.get_by_role("link", name="Average temp_max by month")).to_have_attribute(
        "href", f"{site['dataset'].get_absolute_url()}explore/?chart={by_month.pk}"
    )

    frame = pie_tile.locator(".chart-frame")
    before = json.loads(frame.get_attribute("data-category-colors"))
    assert sorted(before) == ["drizzle", "fog", "rain", "snow", "sun"] and len(set(before.values())) == 5

    # Only fog is left after the filter: it keeps its colour, and the canvas draws it in that colour.
    page.get_by_role("button", name="Add filter").click()
    form = page.get_by_role("form", name="Add filter")
    form.get_by_label("Column").select_option("weather")
    form.get_by_label("Value").fill("fog")
    form.get_by_role("button", name="Add").click()
    expect(pie_tile).to_contain_text("Filtered: weather = fog")
    expect(frame).to_have_attribute("data-category-colors", json.dumps({"fog": before["fog"]}, separators=(",", ":")))
    page.wait_for_function(HAS_COLOR, arg=[pie_tile.element_handle(), before["fog"]])


def test_dashboard_is_one_column_on_a_phone_for_a_share_link(browser, live_server, site):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    page.goto(site["share_url"])
    tiles = page.get_by_test_id("tile")
    expect(tiles).to_have_count(3)
    # The grid places its tiles with a short transition: wait until they have settled into one column.
    page.wait_for_function(
        """() => new Set([...document.querySelectorAll('[data-testid="tile"]')]
                 .map((tile) => Math.round(tile.getBoundingClientRect().x))).size === 1"""
    )
    boxes = [tiles.nth(i).bounding_box() for i in range(3)]
    assert len({round(box["x"]) for box in boxes}) == 1
    assert all(box["width"] > PHONE["width"] - 60 for box in boxes)
    # A viewer gets no empty toolbar band, and a title is never cut short.
    expect(page.locator(".dashboard-toolbar")).to_have_count(0)
    title = tiles.first.locator("h2")
    assert title.evaluate("(h) => h.scrollWidth <= h.clientWidth")
    context.close()
