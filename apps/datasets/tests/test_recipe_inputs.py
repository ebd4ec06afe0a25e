"""Pre-recipe files live in their own tree (DATA_DIR/recipe-inputs/), never beside published files: a new
recipe version puts them there, the data migration moves old ones, and backup/restore carry them.

It holds DESIGN.md's rule "Pre-recipe data (a version's kept source and its inferred file) is seen only by
those who may change the recipe": nothing that is granted a published file's folder can reach them."""

import io
import shutil
import tarfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from rest_framework.test import APIClient

from apps.datasets.models import Dataset
from apps.datasets.recipe_inputs import move_recipe_inputs, recipe_inputs_dir

PRICES = b"item;price\nbolt;3,5\nnut;1.234,25\n"
RECIPE = [{"op": "cast", "column": "price", "type": "float", "decimal": ",", "thousands": ".", "on_error": "fail"}]


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_a_recipe_version_keeps_its_inferred_file_and_source_apart(
    owner, workspace, eager, django_capture_on_commit_callbacks, settings
):
    client = APIClient()
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        body = client.post(
            "/api/v1/datasets/upload/",
            {"file": SimpleUploadedFile("prices.csv", PRICES, content_type="text/csv"), "workspace": "acme"},
            format="multipart",
        ).json()
    dataset = Dataset.objects.get(pk=body["dataset"]["id"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.put(f"/api/v1/datasets/{dataset.pk}/recipe/", {"steps": RECIPE}, format="json").status_code == 202
    dataset.refresh_from_db()
    version = dataset.current_version
    published = Path(settings.DATA_DIR) / "datasets" / str(dataset.pk)
    assert files_under(published) == {"v1.parquet", "v2.parquet"}
    assert version.inferred_path == recipe_inputs_dir(settings.DATA_DIR, dataset.pk) / "v2.inferred.parquet"
    assert files_under(recipe_inputs_dir(settings.DATA_DIR, dataset.pk)) == {
        "v2.inferred.parquet",
        "sources/v1",
        "sources/v2",
    }
    # the recipe's preview still reads the inferred file where it now lives
    preview = client.post(f"/api/v1/datasets/{dataset.pk}/recipe/preview/", {"steps": RECIPE}, format="json")
    assert preview.status_code == 200, preview.json()
    assert [row["price"] for row in preview.json()["rows"]] == [3.5, 1234.25]


def legacy_layout(data_dir: Path, dataset_id: str) -> Path:
    folder = data_dir / "datasets" / dataset_id
    (folder / "sources").mkdir(parents=True)
    pq.write_table(pa.table({"x": [1]}), folder / "v1.parquet")
    pq.write_table(pa.table({"x": ["1"]}), folder / "v1.inferred.parquet")
    (folder / "sources" / "v1").write_bytes(b"x\n1\n")
    return folder


def test_the_data_migration_moves_old_pre_recipe_files_and_can_move_them_back(tmp_path):
    folder = legacy_layout(tmp_path, "d1")
    assert move_recipe_inputs(tmp_path) == 2
    assert files_under(folder) == {"v1.parquet"}
    assert files_under(recipe_inputs_dir(tmp_path, "d1")) == {"v1.inferred.parquet", "sources/v1"}
    assert move_recipe_inputs(tmp_path) == 0  # idempotent
    assert move_recipe_inputs(tmp_path, back=True) == 2
    assert files_under(folder) == {"v1.parquet", "v1.inferred.parquet", "sources/v1"}
    assert not (tmp_path / "recipe-inputs" / "d1").exists()


def test_backup_carries_recipe_inputs_and_restore_relocates_an_old_archive(
    transactional_db, owner, workspace, make_dataset, tmp_path, settings
):
    dataset = make_dataset(workspace)
    data_dir = Path(settings.DATA_DIR)
    kept = recipe_inputs_dir(data_dir, dataset.pk) / "sources" / "v1"
    kept.parent.mkdir(parents=True)
    kept.write_bytes(b"date,weather\n")
    archive = tmp_path / "backup.tar"
    call_command("backup", out=str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as tar:
        assert f"data/recipe-inputs/{dataset.pk}/sources/v1" in tar.getnames()

    # an archive from before the move: its kept source sits in the dataset's published folder
    old = tmp_path / "old.tar"
    with tarfile.open(archive) as tar, tarfile.open(old, "w") as out:
        for member in tar.getmembers():
            content = tar.extractfile(member).read() if member.isfile() else b""
            if member.name == "manifest.json":
                content = content.replace(b"recipe-inputs/", b"datasets/")
            member.name = member.name.replace("data/recipe-inputs/", "data/datasets/")
            member.size = len(content)
            out.addfile(member, io.BytesIO(content))
    call_command("flush", interactive=False, verbosity=0)
    for tree in ("datasets", "recipe-inputs"):
        shutil.rmtree(data_dir / tree, ignore_errors=True)
    call_command("restore", str(old), stdout=io.StringIO())
    assert kept.read_bytes() == b"date,weather\n"
    assert files_under(data_dir / "datasets" / str(dataset.pk)) == {"v1.parquet"}
