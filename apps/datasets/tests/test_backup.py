"""backup → restore into an empty installation finds everything; verify_data finds damaged files."""

import io
import shutil
import tarfile

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from apps.accounts import services as accounts
from apps.accounts.models import ApiToken, Membership, Role, User, Workspace
from apps.dashboards import services as dashboards
from apps.dashboards.models import Chart, Dashboard, ShareLink
from apps.datasets.models import Dataset, Version

QUERY = {"group_by": ["weather"], "measures": [{"fn": "count"}]}


def populate(owner, workspace, make_dataset):
    viewer = accounts.user_create(email="vi@example.com", password="a-long-passphrase-1", name="Vi")
    accounts.membership_set(workspace=workspace, user=viewer, role=Role.VIEWER)
    _, secret = accounts.token_create(user=owner, name="script", scope="write")
    dataset = make_dataset(workspace, title="Weather")
    make_dataset(workspace, title="Public weather", visibility="public")
    chart = dashboards.chart_create(
        dataset=dataset, title="Days by weather", chart_type="bar", query=QUERY, created_by=owner
    )
    dashboard = dashboards.dashboard_create(workspace=workspace, title="Overview", created_by=owner)
    dashboards.dashboard_update(dashboard=dashboard, tiles=[{"chart": chart, "x": 0, "y": 0, "w": 6, "h": 4}])
    link = dashboards.share_link_create(dashboard=dashboard, created_by=owner)
    return secret, dataset, link


def counts() -> dict:
    models = (User, Workspace, Membership, ApiToken, Dataset, Version, Chart, Dashboard, ShareLink)
    return {model.__name__: model.objects.count() for model in models}


def rows_of(dataset_id, secret) -> list:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = client.get(f"/api/v1/datasets/{dataset_id}/rows/?_sort=date")
    assert response.status_code == 200, response.content
    return response.json()["rows"]


def test_backup_then_restore_into_an_empty_installation(
    transactional_db, owner, workspace, make_dataset, tmp_path, settings
):
    secret, dataset, link = populate(owner, workspace, make_dataset)
    before, rows_before = counts(), rows_of(dataset.pk, secret)
    archive = tmp_path / "backup.tar"
    call_command("backup", out=str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "manifest.json" in names and "database.json" in names
    assert f"data/{dataset.current_version.relative_path}" in names

    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.DATA_DIR)
    assert counts()["User"] == 0

    call_command("restore", str(archive), stdout=io.StringIO())
    assert counts() == before
    assert rows_of(dataset.pk, secret) == rows_before  # the token still works and the version reads the same
    shared = APIClient().get(f"/api/v1/shared/{link.token}/")
    assert shared.status_code == 200
    call_command("verify_data", stdout=io.StringIO())


def test_restore_refuses_a_populated_installation(db, owner, workspace, make_dataset, tmp_path):
    make_dataset(workspace)
    archive = tmp_path / "backup.tar"
    call_command("backup", out=str(archive), stdout=io.StringIO())
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive))


def test_restore_refuses_a_damaged_archive_and_writes_nothing(
    transactional_db, owner, workspace, make_dataset, tmp_path, settings
):
    version_file = settings.DATA_DIR / make_dataset(workspace).current_version.relative_path
    archive = tmp_path / "backup.tar"
    call_command("backup", out=str(archive), stdout=io.StringIO())
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.endswith(".parquet"):
                data = data[:-10] + b"0123456789"
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.DATA_DIR)
    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("restore", str(damaged))
    assert counts()["Dataset"] == 0
    assert not version_file.exists()


def test_not_a_backup(db, tmp_path):
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"hello")
    with pytest.raises(CommandError, match="not a readable Datamill backup"):
        call_command("restore", str(junk))


def test_verify_data_finds_missing_and_damaged_files(db, owner, workspace, make_dataset):
    first = make_dataset(workspace, title="First").current_version
    second = make_dataset(workspace, title="Second").current_version
    call_command("verify_data", stdout=io.StringIO())
    first.path.unlink()
    content = bytearray(second.path.read_bytes())
    content[10] ^= 0xFF
    second.path.write_bytes(bytes(content))
    with pytest.raises(CommandError, match="2 version file"):
        call_command("verify_data", stderr=io.StringIO())
