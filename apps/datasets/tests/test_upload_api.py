"""Uploads and new versions through the API, ingested eagerly in-process."""

import pyarrow.parquet as pq
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from apps.datasets.models import Dataset, Version
from apps.jobs.models import Job

CSV = b"city;zip;population\nLyon;69001;522250\nBrest;29200;139602\n"


def csv_file(content=CSV, name="cities.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


@pytest.fixture
def client(owner):
    client = APIClient()
    client.force_login(owner)
    return client


def upload(client, django_capture_on_commit_callbacks, **fields):
    data = {"file": csv_file(), "workspace": "acme", **fields}
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/api/v1/datasets/upload/", data, format="multipart")


def test_upload_answers_202_and_the_ingest_makes_version_1_current(
    client, workspace, eager, django_capture_on_commit_callbacks
):
    response = upload(client, django_capture_on_commit_callbacks)
    assert response.status_code == 202
    body = response.json()
    assert body["dataset"]["title"] == "cities"
    assert body["version"]["number"] == 1
    job = Job.objects.get(pk=body["job"]["id"])
    assert job.status == "succeeded", job.error
    dataset = Dataset.objects.get(pk=body["dataset"]["id"])
    version = dataset.current_version
    assert (version.number, version.row_count, version.format, version.delimiter) == (1, 2, "csv", ";")
    assert [(c["name"], c["type"]) for c in version.columns] == [
        ("city", "text"),
        ("zip", "integer"),
        ("population", "integer"),
    ]
    assert pq.read_table(version.path).to_pydict()["city"] == ["Lyon", "Brest"]
    detail = client.get(f"/api/v1/datasets/{dataset.pk}/versions/1/").json()
    assert detail["status"] == "ready"
    assert detail["profile"]["population"]["max"] == 522250


def test_a_second_upload_becomes_version_2_and_a_failed_one_keeps_it(
    client, workspace, eager, django_capture_on_commit_callbacks
):
    dataset_id = upload(client, django_capture_on_commit_callbacks).json()["dataset"]["id"]
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(
            f"/api/v1/datasets/{dataset_id}/versions/",
            {"file": csv_file(b"city;zip;population\nNice;06000;342669\n")},
            format="multipart",
        )
    assert second.status_code == 202
    assert second.json()["version"]["number"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        broken = client.post(
            f"/api/v1/datasets/{dataset_id}/versions/",
            {"file": csv_file(b"a,b\n1,2\n3,4,5\n")},
            format="multipart",
        )
    job = Job.objects.get(pk=broken.json()["job"]["id"])
    assert job.status == "failed"
    assert "Line 3" in job.error
    dataset = Dataset.objects.get(pk=dataset_id)
    assert dataset.current_version.number == 2
    assert Version.objects.get(dataset=dataset, number=3).status == "failed"
    rows = client.get(f"/api/v1/datasets/{dataset_id}/rows/").json()
    assert rows["rows"] == [{"city": "Nice", "zip": "06000", "population": 342669}]


def test_upload_over_the_limit_is_a_413_with_a_clear_message(client, workspace, settings):
    settings.UPLOAD_MAX_BYTES = 20
    response = client.post("/api/v1/datasets/upload/", {"file": csv_file(), "workspace": "acme"}, format="multipart")
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert "upload limit of 20" in response.json()["error"]["message"]
    assert not Dataset.objects.exists()


def test_upload_needs_a_file_and_an_editable_workspace(client, workspace, viewer):
    missing = client.post("/api/v1/datasets/upload/", {"workspace": "acme"}, format="multipart")
    assert missing.status_code == 400
    assert "file" in missing.json()["error"]["details"]
    viewer_client = APIClient()
    viewer_client.force_login(viewer)
    refused = viewer_client.post(
        "/api/v1/datasets/upload/", {"file": csv_file(), "workspace": "acme"}, format="multipart"
    )
    assert refused.status_code == 400
    assert "cannot create datasets in “acme”" in refused.json()["error"]["message"]


def test_url_import_to_a_private_address_fails_the_job_without_a_request(
    client, workspace, eager, django_capture_on_commit_callbacks
):
    dataset = client.post("/api/v1/datasets/", {"workspace": "acme", "title": "Remote"}, format="json").json()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/datasets/{dataset['id']}/versions/", {"url": "http://169.254.169.254/latest/"}, format="json"
        )
    assert response.status_code == 202
    job = Job.objects.get(pk=response.json()["job"]["id"])
    assert job.status == "failed"
    assert job.error == "Refused: the address 169.254.169.254 is not a public internet address."


def test_upload_page_without_javascript(owner, workspace, eager, django_capture_on_commit_callbacks):
    from django.test import Client

    browser = Client()
    browser.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(
            "/datasets/new/",
            {"file": csv_file(), "workspace": "acme", "title": "Cities", "visibility": "private"},
        )
    assert response.status_code == 302
    page = browser.get(response["Location"]).content.decode()
    assert "Brest" in page and "29200" in page
    assert "Schema and profile" in page


def test_a_new_dataset_from_a_url_is_one_request(client, workspace, eager, django_capture_on_commit_callbacks):
    body = {"workspace": "acme", "url": "http://169.254.169.254/latest/daily_rain.csv", "tags": ["rain"]}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/datasets/upload/", body, format="json")
    assert response.status_code == 202, response.json()
    answer = response.json()
    assert (answer["dataset"]["title"], answer["dataset"]["tags"]) == ("daily rain", ["rain"])
    assert (answer["version"]["source_kind"], answer["version"]["source_name"]) == ("url", body["url"])
    job = Job.objects.get(pk=answer["job"]["id"])
    assert job.error == "Refused: the address 169.254.169.254 is not a public internet address."
    assert Version.objects.get().error == job.error


def test_upload_takes_a_file_or_a_url_not_both(client, workspace):
    both = {"file": csv_file(), "url": "https://example.com/a.csv", "workspace": "acme"}
    response = client.post("/api/v1/datasets/upload/", both, format="multipart")
    assert response.status_code == 400
    assert response.json()["error"]["message"] == 'file: Send either a file (multipart) or a URL ({"url": ...}).'
    assert not Dataset.objects.exists()
