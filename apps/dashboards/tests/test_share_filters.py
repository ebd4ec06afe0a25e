"""A share link reveals only what its tiles show: visitors set values only for the dashboard's own filters."""

import json

from rest_framework.test import APIClient

from apps.dashboards import services

STAFF = {
    "name": ["Alice", "Bob", "Carol", "Dan"],
    "department": ["Research", "Research", "Sales", "Sales"],
    "salary": [182_000, 95_000, 70_000, 64_000],
    "hired": ["2019-03-01", "2021-06-15", "2022-01-10", "2023-09-01"],
}
STAFF_COLUMNS = [
    {"name": "name", "original_name": "name", "type": "text", "nullable": False},
    {"name": "department", "original_name": "department", "type": "text", "nullable": False},
    {"name": "salary", "original_name": "salary", "type": "integer", "nullable": False},
    {"name": "hired", "original_name": "hired", "type": "text", "nullable": False},
]


def shared_head_count(owner, workspace, make_dataset, filters):
    dataset = make_dataset(workspace, title="Staff", table=STAFF, columns=STAFF_COLUMNS)
    chart = services.chart_create(
        dataset=dataset,
        title="Head count by department",
        chart_type="bar",
        query={"group_by": ["department"], "measures": [{"fn": "count"}]},
        created_by=owner,
    )
    dashboard = services.dashboard_create(workspace=workspace, title="People", created_by=owner)
    services.dashboard_update(
        dashboard=dashboard, tiles=[{"chart": chart, "x": 0, "y": 0, "w": 6, "h": 4}], filters=filters
    )
    link = services.share_link_create(dashboard=dashboard, created_by=owner)
    tile = dashboard.tiles.get()
    return f"/api/v1/shared/{link.token}/tiles/{tile.pk}/data/"


def ask(url, filters):
    return APIClient().get(url, {"filters": json.dumps(filters)})


def test_a_private_salary_cannot_be_bracketed_through_a_count_tile(owner, workspace, make_dataset):
    url = shared_head_count(owner, workspace, make_dataset, filters=[])
    # The probe: "how many people in Research earn at least X?" narrows Alice's salary in a few requests.
    for threshold in (100_000, 150_000, 175_000, 190_000):
        probe = ask(url, [{"column": "salary", "op": "gte", "value": threshold}])
        assert probe.status_code == 400
        error = probe.json()["error"]
        assert "only takes values for its own filters" in error["message"]
        assert "salary gte" in error["message"]
    # What the tile shows stays visible.
    rows = APIClient().get(url).json()["rows"]
    assert {r["department"]: r["count"] for r in rows} == {"Research": 2, "Sales": 2}


def test_visitors_set_values_for_declared_filters_only(owner, workspace, make_dataset):
    declared = [{"column": "hired", "op": "gte", "value": "2020-01-01"}]
    url = shared_head_count(owner, workspace, make_dataset, filters=declared)
    saved = {r["department"]: r["count"] for r in APIClient().get(url).json()["rows"]}
    assert saved == {"Research": 1, "Sales": 2}
    narrowed = ask(url, [{"column": "hired", "op": "gte", "value": "2022-06-01"}])
    assert narrowed.status_code == 200
    assert {r["department"]: r["count"] for r in narrowed.json()["rows"]} == {"Sales": 1}
    # A wider value cannot undo what the owner saved: the saved filter still applies.
    widened = ask(url, [{"column": "hired", "op": "gte", "value": "2000-01-01"}])
    assert {r["department"]: r["count"] for r in widened.json()["rows"]} == saved
    # Another operator on the declared column is refused too.
    assert ask(url, [{"column": "hired", "op": "lt", "value": "2020-01-01"}]).status_code == 400
    assert ask(url, [{"column": "name", "op": "exact", "value": "Alice"}]).status_code == 400


def test_members_keep_the_full_filter_set(owner, workspace, make_dataset, token_client):
    dataset = make_dataset(workspace, title="Staff", table=STAFF, columns=STAFF_COLUMNS)
    chart = services.chart_create(
        dataset=dataset,
        title="Head count",
        chart_type="bar",
        query={"group_by": ["department"], "measures": [{"fn": "count"}]},
        created_by=owner,
    )
    filters = json.dumps([{"column": "salary", "op": "gte", "value": 100_000}])
    answer = token_client(owner).get(f"/api/v1/charts/{chart.pk}/data/", {"filters": filters})
    assert answer.status_code == 200
    assert {r["department"]: r["count"] for r in answer.json()["rows"]} == {"Research": 1}


def test_a_filter_declared_without_a_value_filters_nothing_until_one_is_given(owner, workspace, make_dataset):
    url = shared_head_count(owner, workspace, make_dataset, filters=[{"column": "department", "op": "exact"}])
    everyone = APIClient().get(url)
    assert everyone.status_code == 200
    assert {r["department"]: r["count"] for r in everyone.json()["rows"]} == {"Research": 2, "Sales": 2}
    assert everyone.json()["filters_applied"] == []
    for empty in (None, ""):
        answer = ask(url, [{"column": "department", "op": "exact", "value": empty}])
        assert answer.status_code == 200
        assert len(answer.json()["rows"]) == 2
    sales = ask(url, [{"column": "department", "op": "exact", "value": "Sales"}]).json()
    assert {r["department"]: r["count"] for r in sales["rows"]} == {"Sales": 2}
