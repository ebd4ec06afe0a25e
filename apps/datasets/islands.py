"""Props of the datasets' islands, mirroring frontend/islands/{upload,grid}/props.ts."""

from django.conf import settings
from django.urls import reverse

from apps.core import permissions
from apps.datasets.models import Dataset, Version


def upload_island_props(*, user, dataset: Dataset | None = None, workspace: str = "") -> dict:
    """Props of the upload island (frontend/islands/upload): a new dataset, or a new version of `dataset`."""
    if dataset is None:
        writable = permissions.workspaces_for(user, permissions.CHANGE)
        return {
            "mode": "new",
            "uploadUrl": reverse("api:dataset-upload"),
            "datasetsUrl": reverse("api:dataset-list"),
            "workspaces": [{"slug": w.slug, "name": w.name} for w in writable],
            "defaultWorkspace": workspace or (writable[0].slug if writable else None),
            "maxBytes": settings.UPLOAD_MAX_BYTES,
            "datasetUrl": None,
        }
    return {
        "mode": "version",
        "uploadUrl": reverse("api:dataset-versions", args=[dataset.pk]),
        "datasetsUrl": reverse("api:dataset-list"),
        "workspaces": [],
        "defaultWorkspace": None,
        "maxBytes": settings.UPLOAD_MAX_BYTES,
        "datasetUrl": dataset.get_absolute_url(),
    }


def grid_props(version: Version) -> dict:
    """Props of the grid island (frontend/islands/grid), pinned to one version."""
    args = [version.dataset_id, version.number]
    return {
        "rowsUrl": reverse("api:dataset-version-rows", args=args),
        "exportUrl": reverse("api:dataset-version-export", args=args),
        "columns": [
            {"name": c["name"], "type": c["type"], "nullable": bool(c.get("nullable", True))} for c in version.columns
        ],
        "total": version.row_count or 0,
        "pageSize": 200,
    }
