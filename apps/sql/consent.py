"""Data leaves a workspace only with its editors' consent: who may copy private datasets into a derived one,
the audit trail of each copy, and when that consent lapses (the materializer no longer edits an input's
workspace: the copy then stops rebuilding, and `DatasetQuerySet.restrict` hides it from those who may not read
the inputs)."""

from apps.audit.services import audit_record
from apps.core import permissions
from apps.datasets.models import Dataset, Visibility

from .models import DerivedDataset


def require_copy_consent(*, user, inputs: list[Dataset]) -> None:
    """Copying data out of a workspace needs its editors' consent: NotAllowed (a 403) unless `user` may edit
    the workspace of every private input. A public input has been let out already by its editors."""
    for dataset in inputs:
        if dataset.visibility != Visibility.PUBLIC and not permissions.can(user, permissions.CHANGE, dataset.workspace):
            raise permissions.NotAllowed(
                f"The query reads “{dataset.title}”, private to “{dataset.workspace.name}”: copying it into a "
                "derived dataset needs the editor role there."
            )


def record_copy(*, derived: DerivedDataset, inputs: list[Dataset], actor, public: bool = False) -> None:
    """One audit event per input, in the input's workspace: its data now also lives in `derived`."""
    target = derived.dataset
    for dataset in inputs:
        details = {"into": str(target.pk), "into_title": target.title, "into_workspace": target.workspace.slug}
        if public:
            details["made_public"] = True
        audit_record(
            action="dataset.copied_out", workspace=dataset.workspace, target=dataset, details=details, actor=actor
        )


def copy_lapsed(derived: DerivedDataset) -> bool:
    """Whether the materializer lost the right to copy a private input (Dataset `copy_lapsed`)."""
    return Dataset.objects.filter(pk=derived.dataset_id).copy_lapsed().exists()
