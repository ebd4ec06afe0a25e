"""What subscribers of each channel hear, and that what a caller may not see is not there."""

import time
import uuid

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from apps.accounts import services as accounts
from apps.dashboards import services as dashboards
from apps.datasets import services as datasets
from apps.datasets.models import Version
from apps.jobs.models import Job
from apps.live.models import Notification
from apps.live.tests.helpers import headers, session_cookie
from conftest import WEATHER, WEATHER_COLUMNS, publish_table

NOT_FOUND = {"code": "not_found", "message": "No such channel, or you may not see it."}


def signed_in(socket, user):
    return socket(headers=headers(cookie=session_cookie(user), origin="http://localhost:8000"))


@pytest.fixture
def weather(make_dataset, workspace):
    return make_dataset(workspace)


def test_not_yours_answers_exactly_like_not_there(socket, owner, outsider, workspace, weather):
    job = Job.objects.create(kind="ingest", created_by=owner, workspace=workspace)
    board = dashboards.dashboard_create(workspace=workspace, title="Board", created_by=owner)
    sock = signed_in(socket, outsider)
    theirs = [f"job:{job.pk}", f"dataset:{weather.pk}", f"dashboard:{board.pk}"]
    missing = [f"job:{uuid.uuid4()}", f"dataset:{uuid.uuid4()}", f"dashboard:{uuid.uuid4()}", "job:12", "dataset:x"]
    garbage = ["secrets:1", "job:", "job:../../etc", "dataset:" + "a" * 80, "notifications:1"]
    for channel in theirs + missing + garbage:
        assert sock.subscribe(channel) == [{"channel": channel, "error": NOT_FOUND}], channel

    mine = signed_in(socket, owner)
    for channel in theirs:
        assert all("error" not in m for m in mine.subscribe(channel)), channel


def test_public_datasets_are_open_to_anonymous_visitors(socket, make_dataset, workspace):
    public = make_dataset(workspace, title="Open data", visibility="public")
    private = make_dataset(workspace, title="Secret")
    sock = socket()
    assert sock.subscribe(f"dataset:{public.pk}") == []
    assert sock.subscribe(f"dataset:{private.pk}") == [{"channel": f"dataset:{private.pk}", "error": NOT_FOUND}]


def test_a_job_subscription_gets_the_current_state_then_every_change(socket, owner, workspace):
    job = Job.objects.create(kind="ingest", created_by=owner, workspace=workspace)
    job.mark_running()
    job.report(0.4, "Parsing rows", "Line 4,000")
    time.sleep(0.3)  # the throttle has sent what it held before anyone listens
    sock = signed_in(socket, owner)
    channel = f"job:{job.pk}"

    [first] = sock.subscribe(channel)
    assert first["channel"] == channel and first["event"] == "progress"
    assert first["data"]["id"] == str(job.pk)
    data = first["data"]
    assert (data["status"], data["progress"], data["stage"]) == ("running", 0.4, "Parsing rows")
    assert set(first["data"]) == {
        "id", "kind", "status", "progress", "stage", "message", "error", "result",
        "created_at", "started_at", "finished_at",
    }  # fmt: skip

    time.sleep(0.15)  # past the throttle interval: this one goes out at once
    job.report(0.75, "Profiling", "Column 3 of 8")
    change = sock.receive()
    assert change["event"] == "progress"
    assert (change["data"]["progress"], change["data"]["message"]) == (0.75, "Column 3 of 8")

    job.mark_succeeded({"rows": 10})
    done = sock.receive()
    assert done["event"] == "finished"
    data = done["data"]
    assert (data["status"], data["progress"], data["result"]) == ("succeeded", 1.0, {"rows": 10})
    assert sock.nothing()

    late = signed_in(socket, owner)
    [state] = late.subscribe(channel)
    assert state["event"] == "finished" and state["data"]["status"] == "succeeded"


def test_job_events_carry_exactly_what_the_jobs_api_answers(socket, owner, workspace, token_client):
    job = Job.objects.create(kind="ingest", created_by=owner, workspace=workspace)
    job.mark_running()
    job.report(0.25, "Parsing rows", "Line 9")
    time.sleep(0.3)
    sock = signed_in(socket, owner)
    [snapshot] = sock.subscribe(f"job:{job.pk}")
    assert snapshot["data"] == token_client(owner).get(f"/api/v1/jobs/{job.pk}/").json()
    job.mark_succeeded({"version": 1, "rows": 3})
    finished = sock.receive()
    assert finished["data"] == token_client(owner).get(f"/api/v1/jobs/{job.pk}/").json()


def test_a_failed_job_finishes_with_its_error_and_tells_its_creator(socket, owner, workspace):
    job = Job.objects.create(kind="export", created_by=owner, workspace=workspace, status="running")
    sock = signed_in(socket, owner)
    sock.subscribe(f"job:{job.pk}")
    sock.subscribe("notifications")
    job.mark_failed("Line 18 has 5 fields, but the header has 4.")
    received = {m["event"]: m for m in (sock.receive(), sock.receive())}
    assert received["finished"]["data"]["status"] == "failed"
    assert received["finished"]["data"]["error"] == "Line 18 has 5 fields, but the header has 4."
    assert received["notification"]["data"]["kind"] == "job_failed"
    assert received["notification"]["data"]["message"] == "Export failed: Line 18 has 5 fields, but the header has 4."


def test_rapid_reports_are_thinned_but_the_last_one_arrives(socket, owner, workspace, settings):
    settings.LIVE_JOB_MIN_INTERVAL = 0.2
    job = Job.objects.create(kind="ingest", created_by=owner, workspace=workspace, status="running")
    sock = signed_in(socket, owner)
    sock.subscribe(f"job:{job.pk}")
    started = time.monotonic()
    for step in range(1, 101):
        job.report(step / 100, "Parsing rows", f"step {step}")
    elapsed = time.monotonic() - started
    seen = []
    while not seen or seen[-1]["data"]["message"] != "step 100":
        seen.append(sock.receive(timeout=5))
    assert len(seen) <= 2 + elapsed / 0.2  # at most one per interval, plus the held last one
    assert seen[-1]["data"]["progress"] == 1.0
    assert sock.nothing(0.5)


def test_an_ingested_version_is_announced_on_its_dataset_and_to_the_other_members(
    socket, owner, editor, viewer, workspace, weather
):
    watching = signed_in(socket, viewer)
    watching.subscribe(f"dataset:{weather.pk}")
    watching.subscribe("notifications")
    uploader = signed_in(socket, editor)
    uploader.subscribe("notifications")

    version = Version.objects.create(
        dataset=weather, number=2, source_kind="upload", source_name="w.csv", created_by=editor
    )
    version.path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table(WEATHER), version.path)
    datasets.version_publish(
        version=version, result={"format": "csv", "row_count": 4, "columns": WEATHER_COLUMNS, "profile": {}}
    )
    received = {m["event"]: m for m in (watching.receive(), watching.receive())}
    assert received["version_ready"] == {
        "channel": f"dataset:{weather.pk}",
        "event": "version_ready",
        "data": {"version": 2, "row_count": 4, "current": True},
    }
    assert received["notification"]["data"]["message"] == "“Weather” version 2 is ready (4 rows)."
    assert received["notification"]["data"]["url"] == "/w/acme/weather/"
    assert uploader.nothing()  # the uploader hears of it through their job instead
    told = Notification.objects.filter(message__contains="version 2").values_list("user__email", flat=True)
    assert set(told) == {owner.email, viewer.email}


def test_a_failed_version_is_announced_too(socket, viewer, workspace, weather, owner):
    watching = signed_in(socket, viewer)
    watching.subscribe(f"dataset:{weather.pk}")
    version = Version.objects.create(
        dataset=weather, number=2, source_kind="upload", source_name="w.csv", created_by=owner
    )
    datasets.version_fail(version=version, error="The file is empty.")
    message = watching.receive()
    assert message == {
        "channel": f"dataset:{weather.pk}",
        "event": "version_failed",
        "data": {"version": 2, "error": "The file is empty."},
    }
    assert Notification.objects.filter(user=viewer).first().message == "“Weather” version 2 failed: The file is empty."


def test_dashboards_with_tiles_on_the_latest_version_go_stale(socket, owner, workspace, weather, make_dataset):
    other = make_dataset(workspace, title="Other")
    query = {"group_by": ["weather"], "measures": [{"fn": "count"}]}
    latest = dashboards.chart_create(dataset=weather, title="Latest", chart_type="bar", query=query, created_by=owner)
    pinned = dashboards.chart_create(
        dataset=weather, title="Pinned", chart_type="bar", query=query, version_number=1, created_by=owner
    )
    elsewhere = dashboards.chart_create(dataset=other, title="Other", chart_type="bar", query=query, created_by=owner)
    follows = dashboards.dashboard_create(workspace=workspace, title="Follows", created_by=owner)
    dashboards.tiles_replace(dashboard=follows, tiles=[{"chart": latest}, {"chart": pinned}])
    fixed = dashboards.dashboard_create(workspace=workspace, title="Fixed", created_by=owner)
    dashboards.tiles_replace(dashboard=fixed, tiles=[{"chart": pinned}, {"chart": elsewhere}, {"text": "Hi"}])

    sock = signed_in(socket, owner)
    sock.subscribe(f"dashboard:{follows.pk}")
    sock.subscribe(f"dashboard:{fixed.pk}")
    publish_table(weather, WEATHER, WEATHER_COLUMNS, owner)
    assert sock.receive() == {
        "channel": f"dashboard:{follows.pk}",
        "event": "tile_stale",
        "data": {"dataset": str(weather.pk), "version": 2, "charts": [str(latest.pk)]},
    }
    assert sock.nothing()


def test_someone_removed_from_the_workspace_stops_hearing_about_it(socket, owner, viewer, workspace, weather):
    sock = signed_in(socket, viewer)
    sock.subscribe(f"dataset:{weather.pk}")
    accounts.membership_remove(workspace=workspace, user=viewer)
    publish_table(weather, WEATHER, WEATHER_COLUMNS, owner)
    assert sock.receive() == {"channel": f"dataset:{weather.pk}", "error": NOT_FOUND}
    publish_table(weather, WEATHER, WEATHER_COLUMNS, owner)
    assert sock.nothing()


def test_unsubscribe_stops_the_events(socket, owner, workspace, weather):
    sock = signed_in(socket, owner)
    sock.subscribe(f"dataset:{weather.pk}")
    sock.send({"unsubscribe": f"dataset:{weather.pk}"})
    sock.sync()
    publish_table(weather, WEATHER, WEATHER_COLUMNS, owner)
    assert sock.nothing()


@pytest.mark.parametrize(
    "text",
    ["not json", "[]", '{"subscribe": 5}', '{"subscribe": "a", "unsubscribe": "b"}', '{"listen": "job:1"}', "x" * 5000],
)
def test_malformed_messages_get_a_readable_error_and_the_socket_stays_open(socket, owner, text):
    sock = signed_in(socket, owner)
    sock.run(sock.communicator.send_to(text_data=text))
    answer = sock.receive()
    assert answer["channel"] is None
    assert answer["error"]["code"] == "bad_request"
    assert sock.subscribe("notifications") == []
