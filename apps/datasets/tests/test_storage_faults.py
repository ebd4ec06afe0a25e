"""The data directory full during an ingest: a failed version with the reason, nothing half-written left."""

import os
import subprocess
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.datasets import services
from apps.datasets.models import Dataset, VersionStatus

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small file system needs root")


@pytest.fixture
def small_data_dir(settings, tmp_path):
    """DATA_DIR on a 4 MB tmpfs: room for the upload, not for the version written from it."""
    mount = tmp_path / f"small-{uuid.uuid4().hex[:6]}"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], check=True)
    settings.DATA_DIR = mount
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def files_under(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_a_full_data_directory_fails_the_version_and_keeps_the_previous_one(
    small_data_dir, owner, workspace, eager, django_capture_on_commit_callbacks
):
    first = SimpleUploadedFile("cities.csv", b"id,city\n1,Oslo\n")
    with django_capture_on_commit_callbacks(execute=True):
        dataset, v1, _ = services.dataset_upload(workspace=workspace, created_by=owner, file=first)
    v1.refresh_from_db()
    assert v1.status == VersionStatus.READY

    rows = "\n".join(f"{i},{uuid.uuid4().hex}{uuid.uuid4().hex}" for i in range(40_000))  # ~2.7 MB of text
    big = SimpleUploadedFile("cities.csv", f"id,city\n{rows}\n".encode())
    before = files_under(small_data_dir)
    with django_capture_on_commit_callbacks(execute=True):
        services.version_create(dataset=dataset, created_by=owner, uploaded_file=big)
    v2 = dataset.versions.get(number=2)
    assert v2.status == VersionStatus.FAILED
    assert "the data directory is full" in v2.error and "Traceback" not in v2.error
    assert v2.job.status == "failed" and v2.job.error == v2.error
    assert Dataset.objects.get(pk=dataset.pk).current_version_id == v1.pk
    assert files_under(small_data_dir) == before  # no half-written version, no scratch files, no upload left
