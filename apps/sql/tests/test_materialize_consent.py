"""Data leaves a workspace only with its editors' consent: materializing a private dataset into another
workspace needs the editor role where it lives, is recorded in that workspace's audit log, cannot be made
public by others, and lapses (no rebuilds, hidden beyond the inputs' readers) when the materializer loses it."""

import pytest

from apps.accounts import services as accounts
from apps.accounts.models import Role
from apps.audit.models import AuditEvent
from apps.datasets.models import Dataset, Version
from apps.sql.models import DerivedDataset
from conftest import WEATHER_COLUMNS, publish_table

COPY = 'SELECT station, temp_max FROM "acme"."weather"'


@pytest.fixture
def lab(make_user, viewer):
    """A workspace that the acme viewer owns, with a member who cannot read acme."""
    workspace = accounts.workspace_create(name="Lab", slug="lab", owner=viewer)
    reader = make_user("reader@example.com")
    accounts.membership_set(workspace=workspace, user=reader, role=Role.EDITOR)
    return workspace, reader


def materialize(api, user, capture):
    api.force_login(user)
    query = api.post("/api/v1/queries/", {"workspace": "lab", "title": "Copy", "sql": COPY}, format="json")
    assert query.status_code == 201, query.json()
    with capture(execute=True):
        return api.post(f"/api/v1/queries/{query.json()['id']}/materialize/")


def test_a_viewer_of_the_source_cannot_copy_it_out(
    api, viewer, weather, lab, eager, django_capture_on_commit_callbacks
):
    refused = materialize(api, viewer, django_capture_on_commit_callbacks)
    assert refused.status_code == 403
    assert "“Weather”" in refused.json()["error"]["message"] and "editor role" in refused.json()["error"]["message"]
    assert not DerivedDataset.objects.exists()
    assert not Dataset.objects.filter(workspace__slug="lab").exists()


@pytest.fixture
def copied(api, viewer, workspace, weather, lab, eager, django_capture_on_commit_callbacks):
    accounts.membership_set(workspace=workspace, user=viewer, role=Role.EDITOR)
    answer = materialize(api, viewer, django_capture_on_commit_callbacks)
    assert answer.status_code == 202, answer.json()
    return Dataset.objects.get(pk=answer.json()["dataset"]["id"])


def test_an_editor_of_the_source_copies_it_and_the_source_workspace_records_it(copied, weather, workspace):
    event = AuditEvent.objects.get(workspace=workspace, action="dataset.copied_out")
    assert event.target_id == str(weather.pk) and event.actor_email == "viewer@example.com"
    assert event.details["into"] == str(copied.pk) and event.details["into_workspace"] == "lab"


def test_only_an_editor_of_every_private_input_may_make_the_copy_public(api, copied, lab, viewer, workspace):
    _, reader = lab
    api.force_login(reader)
    refused = api.patch(f"/api/v1/datasets/{copied.pk}/", {"visibility": "public"}, format="json")
    assert refused.status_code == 400
    message = refused.json()["error"]["message"]
    assert message.startswith("visibility: “Copy” is computed from private data (“Weather” of “Acme Analytics”)")
    assert Dataset.objects.get(pk=copied.pk).visibility == "private"
    api.force_login(viewer)
    assert api.patch(f"/api/v1/datasets/{copied.pk}/", {"visibility": "public"}, format="json").status_code == 200
    assert AuditEvent.objects.filter(workspace=workspace, action="dataset.copied_out", details__made_public=True)


@pytest.mark.parametrize("loss", ["demoted", "removed"])
def test_when_the_materializer_loses_edit_rights_the_copy_lapses(
    loss, api, copied, lab, viewer, workspace, weather, django_capture_on_commit_callbacks
):
    _, reader = lab
    rows = f"/api/v1/datasets/{copied.pk}/rows/"
    api.force_login(reader)
    assert api.get(rows).status_code == 200  # the copy was allowed: the target workspace reads it
    if loss == "demoted":
        accounts.membership_set(workspace=workspace, user=viewer, role=Role.VIEWER)
    else:
        accounts.membership_remove(workspace=workspace, user=viewer)

    api.force_login(reader)
    assert api.get(rows).status_code == 404
    assert api.get(copied.get_absolute_url()).status_code == 404
    api.force_login(viewer)
    assert api.get(rows).status_code == (200 if loss == "demoted" else 404)  # as the inputs' own readers
    with django_capture_on_commit_callbacks(execute=True):
        publish_table(weather, {"station": ["00502"], "temp_max": [30.0]}, [WEATHER_COLUMNS[3], WEATHER_COLUMNS[2]])
    assert Version.objects.filter(dataset=copied).count() == 1  # no rebuild


def test_a_build_already_queued_when_the_copy_lapses_fails_instead_of_copying(copied, viewer, workspace):
    from apps.jobs.errors import JobError
    from apps.sql.services import derived_version_build, derived_version_create

    derived = DerivedDataset.objects.get(dataset=copied)
    version, _ = derived_version_create(derived=derived, created_by=viewer)  # queued; on_commit never fires here
    accounts.membership_set(workspace=workspace, user=viewer, role=Role.VIEWER)
    with pytest.raises(JobError, match="may no longer edit"):
        derived_version_build(version=version, progress=lambda *args: None)
    version.refresh_from_db()
    assert version.status == "failed" and Dataset.objects.get(pk=copied.pk).current_version.number == 1
