"""DESIGN.md, "Security rules that every feature keeps": data leaves a workspace only by someone entitled to copy
it out: materializing needs edit rights on the source and is recorded in the source workspace's audit log. A
derived dataset is never more visible than its inputs allow."""

import pytest

from apps.accounts import services as accounts
from apps.accounts.models import Role
from apps.audit.models import AuditEvent
from apps.datasets.models import Version
from conftest import WEATHER_COLUMNS, publish_table

COPY = 'SELECT station, temp_max FROM "acme"."weather"'


@pytest.fixture
def weather(make_dataset, workspace, http):
    return make_dataset(workspace, title="Weather")


@pytest.fixture
def lab(make_user, viewer, http):
    """A workspace the acme viewer owns (an editor elsewhere), with a member who cannot read acme."""
    workspace = accounts.workspace_create(name="Lab", slug="lab", owner=viewer)
    reader = make_user("reader@example.com")
    accounts.membership_set(workspace=workspace, user=reader, role=Role.VIEWER)
    return workspace, reader


def materialize(session):
    query = session.post("/api/v1/queries/", json={"workspace": "lab", "title": "Copy", "sql": COPY})
    assert query.status_code == 201, query.text
    return session.post(f"/api/v1/queries/{query.json()['id']}/materialize/")


def test_a_viewer_who_edits_elsewhere_cannot_copy_a_private_dataset_out(weather, lab, viewer, bearer, workspace):
    refused = materialize(bearer(viewer))
    assert refused.status_code == 403
    assert "editor role" in refused.json()["error"]["message"]
    assert not AuditEvent.objects.filter(workspace=workspace, action="dataset.copied_out").exists()


def test_a_lapsed_copy_is_hidden_from_the_target_workspace_and_stops_rebuilding(
    weather, lab, viewer, workspace, bearer, eager
):
    _, reader = lab
    accounts.membership_set(workspace=workspace, user=viewer, role=Role.EDITOR)
    answer = materialize(bearer(viewer))
    assert answer.status_code == 202, answer.text
    copy_id = answer.json()["dataset"]["id"]
    assert AuditEvent.objects.filter(workspace=workspace, action="dataset.copied_out", target_id=str(weather.pk))
    as_reader = bearer(reader, "read")
    assert as_reader.get(f"/api/v1/datasets/{copy_id}/rows/").status_code == 200

    accounts.membership_set(workspace=workspace, user=viewer, role=Role.VIEWER)

    assert as_reader.get(f"/api/v1/datasets/{copy_id}/rows/").status_code == 404
    assert as_reader.get(f"/api/v1/datasets/{copy_id}/export/?format=csv").status_code == 404
    assert copy_id not in as_reader.get("/api/v1/datasets/").text
    publish_table(weather, {"station": ["00502"], "temp_max": [30.0]}, [WEATHER_COLUMNS[3], WEATHER_COLUMNS[2]])
    assert Version.objects.filter(dataset_id=copy_id).count() == 1
    assert materialize(bearer(viewer)).status_code == 403  # nor may the demoted materializer refresh it
