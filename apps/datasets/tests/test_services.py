"""The dataset services called directly: one use case each, owning its transaction and its enqueue."""

import shutil

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError

from apps.datasets import services
from apps.datasets.models import Dataset, Tag, Version, VersionStatus
from apps.jobs.models import Job, JobStatus

CSV = b"city,population\nLyon,522250\nBrest,139602\n"


def csv_file(name="cities.csv", content=CSV):
    return SimpleUploadedFile(name, content, content_type="text/csv")


@pytest.mark.parametrize(
    ("source", "title"),
    [
        ("sales_2024.csv", "sales 2024"),
        ("weekly-report.final.xlsx", "weekly report.final"),
        ("no extension", "no extension"),
        ("_.csv", "Untitled dataset"),
        ("https://data.example.com/open/air_quality.csv?day=1", "air quality"),
        ("https://data.example.com/files/caf%C3%A9%20prices.json", "café prices"),
        ("https://data.example.com/", "data.example.com"),
    ],
)
def test_the_default_title_comes_from_the_file_name_or_the_url(source, title):
    assert services.title_from_source(source) == title


def test_dataset_upload_writes_dataset_version_and_job_and_sends_the_job_on_commit(
    owner, workspace, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        dataset, version, job = services.dataset_upload(
            workspace=workspace, created_by=owner, file=csv_file("sales_2024.csv"), tags=["Sales", "weekly"]
        )
    assert len(callbacks) == 1  # the ingest job, sent only once the transaction commits
    assert (dataset.title, dataset.slug, dataset.visibility) == ("sales 2024", "sales-2024", "private")
    assert dataset.tag_names == ["sales", "weekly"]
    assert (version.number, version.status, version.source_kind, version.source_name) == (
        1,
        VersionStatus.QUEUED,
        "upload",
        "sales_2024.csv",
    )
    assert version.source_size == len(CSV)
    assert (version.upload_dir / "source").read_bytes() == CSV
    assert version.job == job
    assert (job.kind, job.status, job.workspace, job.created_by) == ("ingest", JobStatus.QUEUED, workspace, owner)


def test_dataset_upload_from_a_url_names_the_dataset_after_it(owner, workspace, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        dataset, version, _ = services.dataset_upload(
            workspace=workspace, created_by=owner, url="https://example.com/exports/rain_2023.csv", title="  "
        )
    assert dataset.title == "rain 2023"
    assert (version.source_kind, version.source_name, version.source_size) == (
        "url",
        "https://example.com/exports/rain_2023.csv",
        None,
    )
    assert not version.upload_dir.exists()  # the worker downloads it


def test_an_uploaded_dataset_is_ingested_by_its_job(owner, workspace, eager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dataset, version, job = services.dataset_upload(
            workspace=workspace, created_by=owner, file=csv_file(), title="Cities"
        )
    job.refresh_from_db()
    dataset.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert dataset.current_version == version
    assert dataset.current_version.row_count == 2


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({}, None),
        ({"file": "both", "url": "https://example.com/a.csv"}, None),
        ({"file": "yes", "visibility": "everyone"}, "visibility"),
    ],
)
def test_a_refused_upload_leaves_nothing_behind(owner, workspace, settings, arguments, field):
    if "file" in arguments:
        arguments = {**arguments, "file": csv_file()}
    with pytest.raises(ValidationError) as refused:
        services.dataset_upload(workspace=workspace, created_by=owner, **arguments)
    if field:
        assert field in refused.value.message_dict
    assert Dataset.objects.count() == Version.objects.count() == Job.objects.count() == 0


def test_a_failed_second_step_rolls_back_the_first(owner, workspace, settings, monkeypatch):
    def disk_full(source, destination):
        destination.write_bytes(b"half a fi")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(shutil, "move", disk_full)
    upload = SimpleUploadedFile("cities.csv", CSV)
    upload.temporary_file_path = lambda: "/tmp/upload.csv"  # as Django's on-disk uploads have
    with pytest.raises(OSError, match="No space left"):
        services.dataset_upload(workspace=workspace, created_by=owner, file=upload)
    assert Dataset.objects.count() == Version.objects.count() == Job.objects.count() == 0
    assert list((settings.DATA_DIR / "uploads").iterdir()) == []


def test_version_create_numbers_versions_and_infers_the_source_kind(
    owner, workspace, make_dataset, django_capture_on_commit_callbacks
):
    dataset = make_dataset(workspace)
    with django_capture_on_commit_callbacks(execute=False):
        by_url, _ = services.version_create(dataset=dataset, created_by=owner, url="https://example.com/w.csv")
        by_file, _ = services.version_create(dataset=dataset, created_by=owner, uploaded_file=csv_file())
        named, _ = services.version_create(
            dataset=dataset, created_by=owner, source_kind="refresh", source_name="https://example.com/w.csv"
        )
    assert [(v.number, v.source_kind) for v in (by_url, by_file, named)] == [(2, "url"), (3, "upload"), (4, "refresh")]
    dataset.refresh_from_db()
    assert dataset.current_version.number == 1  # nothing becomes current before its ingest


@pytest.mark.parametrize(
    "arguments",
    [
        {},
        {"url": "https://example.com/a.csv", "uploaded_file": "file"},
        {"source_kind": "upload", "url": "https://example.com/a.csv"},
        {"source_kind": "url", "uploaded_file": "file"},
        {"source_kind": "refresh"},
    ],
)
def test_version_create_refuses_an_unclear_source(owner, workspace, make_dataset, arguments):
    dataset = make_dataset(workspace)
    if "uploaded_file" in arguments:
        arguments = {**arguments, "uploaded_file": csv_file()}
    with pytest.raises(ValidationError):
        services.version_create(dataset=dataset, created_by=owner, **arguments)
    assert list(dataset.versions.values_list("number", flat=True)) == [1]


def test_dataset_update_moves_the_slug_with_the_title_and_replaces_tags(owner, workspace, make_dataset):
    make_dataset(workspace, title="Sales")
    dataset = services.dataset_create(workspace=workspace, title="Draft", created_by=owner, tags=["old"])
    services.dataset_update(dataset=dataset, title="  Sales ", tags=["Q1 Figures", "q1-figures", "", "north"])
    dataset.refresh_from_db()
    assert (dataset.title, dataset.slug) == ("Sales", "sales-2")
    assert dataset.tag_names == ["north", "q1-figures"]
    services.dataset_update(dataset=dataset, description="Monthly", tags=None)
    dataset.refresh_from_db()
    assert (dataset.slug, dataset.description, dataset.tag_names) == ("sales-2", "Monthly", ["north", "q1-figures"])
    assert Tag.objects.filter(name="old").exists()  # tags are shared; only the link goes


@pytest.mark.parametrize(("fields", "key"), [({"title": "  "}, "title"), ({"visibility": "secret"}, "visibility")])
def test_dataset_update_refuses_an_empty_title_or_unknown_visibility(workspace, make_dataset, fields, key):
    dataset = make_dataset(workspace, title="Weather")
    with pytest.raises(ValidationError) as refused:
        services.dataset_update(dataset=dataset, **fields)
    assert key in refused.value.message_dict
    dataset.refresh_from_db()
    assert (dataset.title, dataset.visibility) == ("Weather", "private")


def test_a_dataset_slug_never_takes_a_workspace_page_word(owner, workspace):
    dataset = services.dataset_create(workspace=workspace, title="Dashboards", created_by=owner)
    assert dataset.slug != "dashboards"


def test_a_passing_database_failure_is_retried_and_the_job_says_so(
    owner, workspace, eager, monkeypatch, django_capture_on_commit_callbacks
):
    real_ingest = services.ingest_version
    seen_messages = []

    def locked_once(*, version, progress, last_attempt):
        seen_messages.append(Job.objects.get(pk=version.job_id).message)
        if len(seen_messages) == 1:
            assert not last_attempt
            raise OperationalError("database is locked")
        return real_ingest(version=version, progress=progress, last_attempt=last_attempt)

    monkeypatch.setattr(services, "ingest_version", locked_once)
    with django_capture_on_commit_callbacks(execute=True):
        _, version, job = services.dataset_upload(workspace=workspace, created_by=owner, file=csv_file())
    assert seen_messages[1] == (
        "Retrying after: The job stopped on an unexpected error (OperationalError: database is locked)."
    )
    job.refresh_from_db()
    version.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert version.status == VersionStatus.READY


def test_retries_stop_after_three_and_the_version_is_then_failed_with_the_job(
    owner, workspace, eager, monkeypatch, django_capture_on_commit_callbacks
):
    attempts = []

    def always_locked(*, version, progress, last_attempt):
        attempts.append(last_attempt)
        raise OperationalError("database is locked")

    monkeypatch.setattr(services, "ingest_version", always_locked)
    with django_capture_on_commit_callbacks(execute=True):
        _, version, job = services.dataset_upload(workspace=workspace, created_by=owner, file=csv_file())
    job.refresh_from_db()
    assert attempts == [False, False, False, True]  # the task tells the ingest which attempt is its last
    assert job.status == JobStatus.FAILED
    assert job.error == "The job stopped on an unexpected error (OperationalError: database is locked)."
    assert services.versions_fail_orphaned() == 1
    version.refresh_from_db()
    assert (version.status, version.error) == (VersionStatus.FAILED, job.error)


def test_a_refused_file_fails_the_version_and_the_job_with_the_same_words(
    owner, workspace, eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _, version, job = services.dataset_upload(
            workspace=workspace, created_by=owner, file=csv_file("empty.csv", b"")
        )
    job.refresh_from_db()
    version.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert version.status == VersionStatus.FAILED
    assert version.error == job.error == "The file is empty."
    assert not version.upload_dir.exists()
