import pytest
from playwright.sync_api import expect

from apps.accounts import services
from apps.jobs.models import Job

pytestmark = pytest.mark.e2e


def log_in(page, email, password):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_job_progress_island_follows_a_job_to_the_end(page):
    user = services.user_create(email="jo@example.com", password="a fine passphrase 9")
    running = Job.objects.create(kind="ingest", created_by=user, status="running", progress=0.4, stage="Parsing rows")
    failing = Job.objects.create(kind="export", created_by=user, status="running", progress=0.1, stage="Reading")
    log_in(page, "jo@example.com", "a fine passphrase 9")

    bars = page.get_by_role("progressbar")
    expect(bars).to_have_count(2)
    expect(page.get_by_text("Parsing rows")).to_be_visible()
    expect(page.get_by_text("40%")).to_be_visible()

    running.report(0.75, "Profiling", "Column 3 of 8")
    expect(page.get_by_text("75%")).to_be_visible()
    expect(page.get_by_text("Column 3 of 8")).to_be_visible()

    running.mark_succeeded({"rows": 10})
    failing.mark_failed("Line 18 has 5 fields, but the header has 4.")
    expect(page.get_by_text("Done.")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Line 18 has 5 fields, but the header has 4.")
