"""Backups: one archive holding a consistent database snapshot and every dataset file, with checksums.

The archive is a tar file: `manifest.json` (what is inside, each file's SHA-256 and size), `database.json`
(Django's serialized form of every model, written inside one read transaction so it is one moment in time),
and `data/datasets/...`, `data/recipe-inputs/...` (the datasets' folders under DATA_DIR as that snapshot
names them: every ready version's Parquet file, and the pre-recipe files kept apart in recipe-inputs/).
Versions are immutable, so copying the files after the snapshot still gives exactly the files it names.

`restore` only goes into an empty installation (migrated, nobody signed up): it checks every checksum before
anything is written, loads the database in one transaction, and only then moves the files into place (an
archive made before pre-recipe files had their own tree gets them moved there).
"""

import io
import json
import os
import shutil
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from apps.datasets.recipe_inputs import PUBLISHED, RECIPE_INPUTS, move_recipe_inputs
from apps.datasets.services import file_checksum as sha256_of

FORMAT = "datamill-backup"
FORMAT_VERSION = 1
# Rows Django recreates by itself on migrate, or that mean nothing in another installation.
EXCLUDED_MODELS = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


class BackupError(Exception):
    """Something about the archive or the installation that the operator must fix; the text says what."""


def backup_write(out: Path) -> dict:
    """Write the archive to `out` (atomically: a temporary name, then a rename). Returns its manifest."""
    from apps.datasets.models import Dataset, Version, VersionStatus

    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    data_dir = Path(settings.DATA_DIR)
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=out.parent) as scratch:
        database = Path(scratch) / "database.json"
        # The snapshot is one moment in time: on PostgreSQL a repeatable-read transaction (which must be set
        # first, so only when this is the outermost one), on SQLite the immediate transaction's lock.
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if connection.vendor == "postgresql" and outermost:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            call_command(
                "dumpdata",
                natural_foreign=True,
                exclude=EXCLUDED_MODELS,
                output=str(database),
                verbosity=0,
            )
            dataset_ids = [str(pk) for pk in Dataset.objects.values_list("pk", flat=True)]
            ready = {
                v.relative_path: v for v in Version.objects.filter(status=VersionStatus.READY).only("dataset", "number")
            }
        files = []
        folders = [data_dir / tree / dataset_id for dataset_id in dataset_ids for tree in (PUBLISHED, RECIPE_INPUTS)]
        for folder in folders:
            for path in sorted(folder.rglob("*")) if folder.exists() else ():
                if path.is_file() and not path.name.startswith("."):
                    relative = path.relative_to(data_dir).as_posix()
                    files.append({"path": relative, "size": path.stat().st_size, "sha256": sha256_of(path)})
        missing = sorted(set(ready) - {item["path"] for item in files})
        if missing:
            raise BackupError(f"Ready versions have no file: {', '.join(missing[:5])}. Run `manage.py verify_data`.")
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "database": {"vendor": connection.vendor, "sha256": sha256_of(database), "size": database.stat().st_size},
            "files": files,
        }
        partial = out.with_name(f".{out.name}.partial")
        with tarfile.open(partial, "w") as archive:
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
            archive.add(database, arcname="database.json")
            for item in files:
                archive.add(data_dir / item["path"], arcname=f"data/{item['path']}")
        os.replace(partial, out)
    return manifest


def _add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(content), int(timezone.now().timestamp()), 0o600
    archive.addfile(info, io.BytesIO(content))


def restore_read(archive_path: Path) -> dict:
    """Restore the archive into this (empty) installation. Returns its manifest."""
    from apps.accounts.models import User, Workspace

    if User.objects.exists() or Workspace.objects.exists():
        raise BackupError("This installation is not empty: restore only into a freshly migrated database.")
    data_dir = Path(settings.DATA_DIR)
    data_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=data_dir) as scratch:
        scratch = Path(scratch)
        manifest = _extract_checked(Path(archive_path), scratch)
        with transaction.atomic():
            call_command("loaddata", str(scratch / "database.json"), verbosity=0)
        for item in manifest["files"]:
            target = data_dir / item["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(scratch / "data" / item["path"], target)
    move_recipe_inputs(data_dir)
    return manifest


def _extract_checked(archive_path: Path, into: Path) -> dict:
    try:
        with tarfile.open(archive_path, "r") as archive:
            manifest = _manifest_of(archive, archive_path)
            # The data filter refuses absolute paths, links out of the folder and device files.
            archive.extractall(into, filter="data")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"{archive_path} is not a readable Datamill backup: {error}") from None
    expected = [("database.json", manifest["database"])] + [(f"data/{f['path']}", f) for f in manifest["files"]]
    for name, item in expected:
        path = into / name
        if not path.is_file():
            raise BackupError(f"The archive lacks {name}, which its manifest lists.")
        if sha256_of(path) != item["sha256"]:
            raise BackupError(f"{name} in the archive does not match its checksum: the archive is damaged.")
    return manifest


def _manifest_of(archive: tarfile.TarFile, archive_path: Path) -> dict:
    try:
        manifest = json.loads(archive.extractfile("manifest.json").read())
    except (KeyError, AttributeError, ValueError):
        raise BackupError(f"{archive_path} has no readable manifest.json: not a Datamill backup.") from None
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"{archive_path} is not a Datamill backup of format version {FORMAT_VERSION}.")
    return manifest


def verify_versions() -> list[str]:
    """Problems with ready versions' files: missing, a checksum or row count unlike the recorded one."""
    import pyarrow.parquet as pq

    from apps.datasets.models import Version, VersionStatus

    problems = []
    for version in Version.objects.filter(status=VersionStatus.READY).select_related("dataset").iterator():
        label = f"{version.dataset.title} v{version.number} ({version.relative_path})"
        if not version.path.is_file():
            problems.append(f"{label}: the file is missing.")
            continue
        if version.checksum and sha256_of(version.path) != version.checksum:
            problems.append(f"{label}: the file's checksum differs from the one recorded when it was written.")
            continue
        try:
            rows = pq.ParquetFile(version.path).metadata.num_rows
        except Exception as error:  # any unreadable file is a finding, not a crash
            problems.append(f"{label}: the file cannot be read as Parquet ({error}).")
            continue
        if rows != version.row_count:
            problems.append(f"{label}: the file has {rows:,} rows; {version.row_count:,} were recorded.")
    return problems
