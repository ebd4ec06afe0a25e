"""The dashboard services called directly, and the API's create that now uses one of them."""

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from apps.accounts import services as account_services
from apps.dashboards import services
from apps.dashboards.models import Chart, Dashboard, Tile

QUERY = {"group_by": ["weather"], "measures": [{"fn": "count"}]}


@pytest.fixture
def chart(workspace, owner, make_dataset):
    return services.chart_create(
        dataset=make_dataset(workspace), title="Rain", chart_type="bar", query=QUERY, created_by=owner
    )


def test_dashboard_create_writes_its_tiles_and_filters_at_once(workspace, owner, chart):
    dashboard = services.dashboard_create(
        workspace=workspace,
        title=" Ops ",
        created_by=owner,
        tiles=[{"chart": chart.pk, "x": 0, "y": 0, "w": 6, "h": 4}, {"text": "Notes", "x": 6, "w": 0}],
        filters=[{"column": "station", "op": "exact", "value": "00501"}],
    )
    assert (dashboard.title, dashboard.slug) == ("Ops", "ops")
    assert dashboard.filters == [{"column": "station", "op": "exact", "value": "00501"}]
    assert [(t.kind, t.x, t.w) for t in dashboard.tiles.all()] == [("chart", 0, 6), ("text", 6, 1)]


@pytest.mark.parametrize(
    ("tiles", "message"),
    [
        ([{"text": "   "}], "Tile 1: a tile holds a chart or a text note."),
        ([{"text": "fine"}, {"chart": "other"}], "Tile 2: the chart is not in this workspace."),
    ],
)
def test_a_refused_tile_leaves_no_empty_dashboard(workspace, owner, make_dataset, tiles, message):
    elsewhere = account_services.workspace_create(name="Elsewhere", owner=owner)
    foreign = services.chart_create(
        dataset=make_dataset(elsewhere), title="Theirs", chart_type="bar", query=QUERY, created_by=owner
    )
    tiles = [{**t, "chart": foreign.pk} if t.get("chart") == "other" else t for t in tiles]
    with pytest.raises(ValidationError) as refused:
        services.dashboard_create(workspace=workspace, title="Ops", created_by=owner, tiles=tiles)
    assert refused.value.message_dict == {"tiles": [message]}
    assert Dashboard.objects.count() == Tile.objects.count() == 0


def test_dashboard_create_needs_a_title(workspace, owner):
    with pytest.raises(ValidationError) as refused:
        services.dashboard_create(workspace=workspace, title="  ", created_by=owner)
    assert "title" in refused.value.message_dict


def test_the_api_answers_400_for_a_bad_tile_and_keeps_no_dashboard(editor, workspace):
    client = APIClient()
    client.force_login(editor)
    body = {"workspace": "acme", "title": "Ops", "tiles": [{"text": "", "x": 0, "y": 0, "w": 6, "h": 4}]}
    response = client.post("/api/v1/dashboards/", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "tiles: Tile 1: a tile holds a chart or a text note."
    assert not Dashboard.objects.exists()
    assert client.get("/w/acme/dashboards/ops/").status_code == 404


def test_the_api_creates_a_dashboard_with_filters_in_one_request(editor, workspace, chart):
    client = APIClient()
    client.force_login(editor)
    body = {
        "workspace": "acme",
        "title": "Ops",
        "tiles": [{"chart": str(chart.pk), "x": 0, "y": 0, "w": 12, "h": 4}],
        "filters": [{"column": "weather", "op": "exact", "value": "rain"}],
    }
    response = client.post("/api/v1/dashboards/", body, format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["filters"] == body["filters"]
    assert [(t["kind"], t["chart"], t["w"]) for t in created["tiles"]] == [("chart", str(chart.pk), 12)]


@pytest.mark.parametrize(("who", "status"), [("viewer", 400), ("outsider", 400), ("editor", 201)])
def test_dashboards_are_created_only_where_the_caller_may_write(request, workspace, who, status):
    client = APIClient()
    client.force_login(request.getfixturevalue(who))
    response = client.post("/api/v1/dashboards/", {"workspace": "acme", "title": "Ops"}, format="json")
    assert response.status_code == status
    if status == 400:
        assert response.json()["error"]["details"] == {"workspace": ["You cannot create dashboards in “acme”."]}


def test_restrict_keeps_the_charts_of_the_callers_workspaces(workspace, owner, viewer, outsider, chart):
    assert list(Chart.objects.restrict(viewer)) == [chart]
    assert list(Chart.objects.restrict(viewer, "change")) == []
    assert list(Chart.objects.restrict(owner, "change")) == [chart]
    assert list(Chart.objects.restrict(outsider)) == []
