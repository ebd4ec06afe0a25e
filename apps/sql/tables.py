"""Table names in SQL → the dataset versions the caller may read, through the one permission layer.

`"<workspace>"."<dataset>"` is the dataset's current version, `"<workspace>"."<dataset>@<n>"` its version n;
an unqualified name resolves in the workspace the request names. A dataset that does not exist and one the
caller may not read get the same refusal, word for word, so a name reveals nothing.
"""

from dataclasses import dataclass
from pathlib import Path

from apps.core import permissions
from apps.datasets.models import Dataset, Version, VersionStatus
from dataplane.engine.source import GLOB_CHARACTERS
from dataplane.sql.guard import SQL_UNKNOWN_TABLE, CheckedStatement, SqlRefused, TableReference
from dataplane.sql.guard.errors import where
from dataplane.sql.guard.rewrite import DatasetSource


@dataclass(frozen=True)
class Input:
    """One table of a statement, resolved: the dataset and the version its rows come from."""

    reference: TableReference
    dataset: Dataset
    version: Version

    @property
    def path(self) -> str:
        return str(self.version.path.resolve())

    @property
    def source(self) -> DatasetSource:
        """What the statement reads for this table: the published file, exactly the schema's columns."""
        return DatasetSource(path=self.path, columns=tuple(column["name"] for column in self.version.columns))

    def describe(self) -> dict:
        return {
            "dataset": str(self.dataset.pk),
            "workspace": self.dataset.workspace.slug,
            "slug": self.dataset.slug,
            "title": self.dataset.title,
            "version": self.version.number,
        }


def _unknown(reference: TableReference, hint: str = "") -> SqlRefused:
    message = f"There is no table {reference.text} that you may read{where(reference.position)}.{hint}"
    return SqlRefused(SQL_UNKNOWN_TABLE, message, {**reference.position, "table": reference.text})


def resolve_one(reference: TableReference, *, user, workspace_slug: str | None) -> Input:
    slug = reference.workspace or workspace_slug
    if slug is None:
        raise _unknown(reference, ' Name it with its workspace: "workspace"."dataset", or pick a workspace.')
    dataset = (
        Dataset.objects.restrict(user, permissions.VIEW)
        .select_related("workspace", "current_version")
        .filter(workspace__slug=slug, slug=reference.dataset)
        .first()
    )
    if dataset is None:
        raise _unknown(reference)
    if reference.version is None:
        version = dataset.current_version
        if version is None or not version.is_ready:
            raise _unknown(reference, " It has no ready version yet.")
    else:
        version = dataset.versions.filter(number=reference.version, status=VersionStatus.READY).first()
        if version is None:
            raise _unknown(reference, f" The dataset has no ready version {reference.version}.")
    if GLOB_CHARACTERS & set(str(version.path)):
        raise _unknown(reference, " Its file lives under a path DuckDB would expand; ask an operator.")
    return Input(reference=reference, dataset=dataset, version=version)


def resolve(checked: CheckedStatement, *, user, workspace_slug: str | None) -> list[Input]:
    """Every table of the statement, in the order first named, or SqlRefused for the first unreadable one."""
    return [resolve_one(reference, user=user, workspace_slug=workspace_slug) for reference in checked.references]


def files_of(inputs: list[Input]) -> list[Path]:
    """The files DuckDB may read for a statement: the inputs' published version files, nothing else."""
    return sorted({Path(input_.path) for input_ in inputs})
