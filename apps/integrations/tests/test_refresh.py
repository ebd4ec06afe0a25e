"""Scheduled refresh against a loopback file server that changes its file and honours conditional requests."""

import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.integrations import refresh, webhooks
from apps.integrations.models import Delivery, Schedule
from apps.integrations.tests.conftest import CSV_V2
from apps.jobs.models import Job
from apps.live.models import Notification


def run(schedule, owner, capture):
    with capture(execute=True):
        job = refresh.refresh_start(schedule=schedule, created_by=owner)
    job.refresh_from_db()
    schedule.refresh_from_db()
    return job


def test_a_refresh_makes_a_version_only_when_the_file_changed(
    url_dataset, owner, file_server, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    schedule = refresh.schedule_set(dataset=url_dataset, cron="0 * * * *", created_by=owner)
    assert schedule.url == file_server.data_url  # taken from the import

    first = run(schedule, owner, capture)  # nothing known about the file yet: fetched whole
    assert first.status == "succeeded", first.error
    assert first.result == {"changed": True, "version": 2}
    assert "If-None-Match" not in file_server.requests[-1]

    unchanged = run(schedule, owner, capture)
    assert unchanged.result == {"changed": False, "version": None}
    assert file_server.requests[-1]["If-None-Match"].startswith('"')
    assert file_server.requests[-1]["If-Modified-Since"] == file_server.modified
    assert schedule.last_status == "unchanged"
    assert url_dataset.versions.count() == 2

    file_server.conditional = False  # a server without validators: the content hash decides
    assert run(schedule, owner, capture).result == {"changed": False, "version": None}

    file_server.conditional = True
    file_server.set_body(CSV_V2, modified_at=1_900_000_000)
    changed = run(schedule, owner, capture)
    assert changed.result == {"changed": True, "version": 3}
    assert schedule.last_status == "changed" and schedule.consecutive_failures == 0
    url_dataset.refresh_from_db()
    current = url_dataset.current_version
    assert (current.number, current.row_count, current.status) == (3, 3, "ready")
    assert current.source_kind == "url" and current.source_name == file_server.data_url
    assert schedule.pending_version is None  # its ingest settled


def test_five_failures_in_a_row_pause_the_schedule_and_keep_the_current_version(
    url_dataset, owner, editor, viewer, file_server, receiver, django_capture_on_commit_callbacks
):
    hook = webhooks.webhook_create(
        workspace=url_dataset.workspace, url=receiver.url, events=["refresh.failed"], created_by=owner
    )
    schedule = refresh.schedule_set(dataset=url_dataset, cron="*/5 * * * *", created_by=owner)
    file_server.status = 503
    for attempt in range(1, 6):
        job = run(schedule, owner, django_capture_on_commit_callbacks)
        assert job.status == "failed"
        assert "503" in job.error
        assert schedule.consecutive_failures == attempt
        assert schedule.paused is (attempt == 5)
    assert schedule.last_status == "failed"
    assert schedule.next_run_at is None
    assert schedule.paused_reason == "Paused after 5 failed refreshes in a row."
    url_dataset.refresh_from_db()
    assert url_dataset.current_version.number == 1 and url_dataset.versions.count() == 1
    # Paused schedules are not run by the sweep.
    assert refresh.schedules_run_due(now=timezone.now() + timedelta(days=1)) == 0
    # Each failure reached the webhook; the last one says the schedule paused.
    failures = Delivery.objects.filter(webhook=hook, event="refresh.failed", attempt=1)
    assert failures.count() == 5
    assert all(d.status_code == 200 for d in failures)
    assert b'"error":"The server answered 503' in receiver.received[-1]["body"]
    # Editors and owners are told each time (they can fix it); viewers are not.
    told = Notification.objects.filter(kind="refresh_failed")
    assert told.filter(user=editor).count() == 5 and told.filter(user=owner).count() == 5
    assert not told.filter(user=viewer).exists()
    last = told.filter(user=editor).first()
    assert last.message.startswith("Refreshing “Cities” failed: The server answered 503")
    assert last.message.endswith("Paused after 5 failed refreshes in a row. Resume it on the dataset page.")
    assert last.url == "/w/acme/cities/#refresh"

    file_server.status = 200
    resumed = refresh.schedule_set(dataset=url_dataset, cron="*/5 * * * *", created_by=owner, paused=False)
    assert (resumed.paused, resumed.consecutive_failures, resumed.paused_reason) == (False, 0, "")
    assert resumed.next_run_at is not None


def test_a_version_whose_ingest_fails_counts_as_a_failed_refresh(
    url_dataset, owner, file_server, django_capture_on_commit_callbacks
):
    schedule = refresh.schedule_set(dataset=url_dataset, cron="0 6 * * *", created_by=owner)
    file_server.set_body(b"\x00\x01\x02 not a table \xff\xfe" * 20)
    job = run(schedule, owner, django_capture_on_commit_callbacks)
    assert job.result == {"changed": True, "version": 2}
    failed = url_dataset.versions.get(number=2)
    assert failed.status == "failed"
    assert schedule.last_status == "failed" and schedule.consecutive_failures == 1
    assert schedule.last_error.startswith("Version 2 failed: ")
    assert schedule.content_hash == "" and schedule.etag == ""  # the next run fetches the file whole again
    url_dataset.refresh_from_db()
    assert url_dataset.current_version.number == 1


def test_private_addresses_are_refused_by_default(
    url_dataset, owner, file_server, settings, django_capture_on_commit_callbacks
):
    schedule = refresh.schedule_set(dataset=url_dataset, cron="0 * * * *", created_by=owner)
    settings.OUTBOUND_ALLOW_PRIVATE = False
    hits = len(file_server.requests)
    job = run(schedule, owner, django_capture_on_commit_callbacks)
    assert job.status == "failed"
    assert "127.0.0.1 is not a public internet address" in job.error
    assert len(file_server.requests) == hits  # no request was made


def test_the_sweep_starts_each_due_schedule_once_and_moves_it_on(url_dataset, owner, eager, settings):
    settings.TIME_ZONE = "UTC"
    schedule = refresh.schedule_set(dataset=url_dataset, cron="30 6 * * *", created_by=owner)
    assert (schedule.next_run_at.hour, schedule.next_run_at.minute) == (6, 30)
    due = schedule.next_run_at + timedelta(seconds=5)
    assert refresh.schedules_run_due(now=due) == 1
    assert refresh.schedules_run_due(now=due) == 0
    schedule.refresh_from_db()
    assert schedule.next_run_at == due.replace(second=0, microsecond=0) + timedelta(days=1) - timedelta(seconds=0)
    assert Job.objects.filter(kind="refresh").count() == 1


def test_cron_follows_the_time_zone(url_dataset, owner, settings):
    settings.TIME_ZONE = "Europe/Paris"
    schedule = refresh.schedule_set(dataset=url_dataset, cron="0 6 * * *", created_by=owner)
    local = schedule.next_run_at.astimezone(timezone.get_default_timezone())
    assert (local.hour, local.minute) == (6, 0)


@pytest.mark.parametrize("cron", ["", "every day", "* * * *", "61 * * * *", "0 6 * * * *"])
def test_bad_cron_is_refused_with_a_readable_message(url_dataset, owner, cron):
    with pytest.raises(ValidationError, match="five-field crontab"):
        refresh.schedule_set(dataset=url_dataset, cron=cron, created_by=owner)
    assert not Schedule.objects.exists()


@pytest.mark.timeout(180)
def test_a_real_worker_refreshes_and_ingests(private_env, worker, workspace, owner, file_server):
    from apps.datasets import services as dataset_services

    dataset = dataset_services.dataset_create(workspace=workspace, title="Cities", created_by=owner)
    dataset_services.version_create(dataset=dataset, url=file_server.data_url, created_by=owner)
    wait_for(lambda: dataset.versions.filter(status="ready").count() == 1, "the first import")
    schedule = refresh.schedule_set(dataset=dataset, cron="0 * * * *", created_by=owner)
    file_server.set_body(CSV_V2, modified_at=1_900_000_000)
    job = refresh.refresh_start(schedule=schedule, created_by=owner)
    wait_for(lambda: dataset.versions.filter(number=2, status="ready").exists(), "the refreshed version")
    job.refresh_from_db()
    assert (job.status, job.result) == ("succeeded", {"changed": True, "version": 2})
    assert dataset.versions.get(number=2).row_count == 3


def wait_for(condition, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not finish within {seconds:.0f} s"
        time.sleep(0.2)
