"""Dataset events: a version became ready or failed. Subscribers of `dataset:<id>` hear it, dashboards
whose tiles follow the latest version redraw, and the workspace's members are told.

The person who sent the version is told by their job's outcome instead (apps.live.jobs), so nobody
hears of the same version twice.
"""

from apps.dashboards.models import Tile
from apps.datasets.models import Dataset, Version
from apps.live import services
from apps.live.messages import version_words


def _members_except(version: Version) -> list:
    from apps.accounts.models import Membership

    members = Membership.objects.filter(workspace_id=version.dataset.workspace_id).values_list("user_id", flat=True)
    return [user_id for user_id in members if user_id != version.created_by_id]


def version_ready(version: Version) -> None:
    """Call inside the transaction that marks the version ready: everything is sent once it commits.
    Only a version that became current makes tiles stale (an older one finishing late changes nothing)."""
    dataset_id = str(version.dataset_id)
    became_current = Dataset.objects.filter(pk=dataset_id, current_version=version).exists()
    services.publish(
        f"dataset:{dataset_id}",
        "version_ready",
        {"version": version.number, "row_count": version.row_count, "current": became_current},
    )
    if became_current:
        following = Tile.objects.filter(chart__dataset_id=dataset_id, chart__version_number=None)
        stale: dict = {}
        for dashboard_id, chart_id in following.values_list("dashboard_id", "chart_id").distinct():
            stale.setdefault(dashboard_id, set()).add(str(chart_id))
        for dashboard_id, charts in stale.items():
            data = {"dataset": dataset_id, "version": version.number, "charts": sorted(charts)}
            services.publish(f"dashboard:{dashboard_id}", "tile_stale", data)
    what, url = version_words(version)
    rows = f" ({version.row_count:,} rows)" if version.row_count is not None else ""
    services.notify(users=_members_except(version), kind="version_ready", message=f"{what} is ready{rows}.", url=url)


def version_failed(version: Version) -> None:
    """Call when the version is marked failed (its `error` set)."""
    services.publish(
        f"dataset:{version.dataset_id}", "version_failed", {"version": version.number, "error": version.error}
    )
    what, url = version_words(version)
    message = f"{what} failed: {version.error}"
    services.notify(users=_members_except(version), kind="version_failed", message=message, url=url)
