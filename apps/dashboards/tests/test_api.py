from django.test import Client
from rest_framework.test import APIClient

from apps.dashboards.models import Chart
from conftest import WEATHER_COLUMNS, publish_table

QUERY = {"group_by": ["weather"], "measures": [{"fn": "count"}, {"fn": "avg", "column": "temp_max"}]}


def login(user):
    client = APIClient()
    client.force_login(user)
    return client


def save_chart(client, dataset, **extra):
    body = {
        "dataset": str(dataset.pk),
        "title": "Rain",
        "chart_type": "bar",
        "query": QUERY,
        "options": {"x": "weather", "measures": ["count"]},
        **extra,
    }
    return client.post("/api/v1/charts/", body, format="json")


def test_editor_saves_a_chart_and_reads_its_data(editor, workspace, make_dataset):
    dataset = make_dataset(workspace)
    client = login(editor)
    response = save_chart(client, dataset)
    assert response.status_code == 201, response.json()
    chart = response.json()
    data = client.get(f"/api/v1/charts/{chart['id']}/data/").json()
    rows = {row["weather"]: row for row in data["rows"]}
    assert rows["rain"]["count"] == 2
    assert rows["rain"]["avg_temp_max"] == (8.5 + 6.25) / 2
    assert data["version"] == 1


def test_chart_csv_download(editor, workspace, make_dataset):
    dataset = make_dataset(workspace)
    client = login(editor)
    chart_id = save_chart(client, dataset).json()["id"]
    response = client.get(f"/api/v1/charts/{chart_id}/data/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0] == "weather,count,avg_temp_max"
    assert len(lines) == 4


def test_an_invalid_chart_query_is_refused_clearly(editor, workspace, make_dataset):
    dataset = make_dataset(workspace)
    response = save_chart(login(editor), dataset, query={"measures": [{"fn": "sum", "column": "nope"}]})
    assert response.status_code == 400
    assert "nope" in response.json()["error"]["message"]


def test_viewer_cannot_save_a_chart_but_can_read_one(editor, viewer, workspace, make_dataset):
    dataset = make_dataset(workspace)
    chart_id = save_chart(login(editor), dataset).json()["id"]
    assert save_chart(login(viewer), dataset).status_code == 403
    assert login(viewer).get(f"/api/v1/charts/{chart_id}/data/").status_code == 200
    assert login(viewer).delete(f"/api/v1/charts/{chart_id}/").status_code == 403


def test_outsider_cannot_see_charts_or_dashboards(editor, outsider, workspace, make_dataset):
    dataset = make_dataset(workspace)
    client = login(editor)
    chart_id = save_chart(client, dataset).json()["id"]
    dashboard = client.post("/api/v1/dashboards/", {"workspace": "acme", "title": "Ops"}, format="json").json()
    stranger = login(outsider)
    assert stranger.get(f"/api/v1/charts/{chart_id}/").status_code == 404
    assert stranger.get(f"/api/v1/dashboards/{dashboard['id']}/").status_code == 404
    assert stranger.get("/api/v1/charts/").json()["count"] == 0
    assert Client().get("/w/acme/dashboards/ops/").status_code == 404


def test_dashboard_tiles_layout_and_filters(editor, workspace, make_dataset):
    dataset = make_dataset(workspace)
    client = login(editor)
    chart_id = save_chart(client, dataset).json()["id"]
    created = client.post("/api/v1/dashboards/", {"workspace": "acme", "title": "Ops"}, format="json").json()
    tiles = [
        {"chart": chart_id, "x": 0, "y": 0, "w": 6, "h": 5},
        {"text": "Weekly notes", "x": 6, "y": 0, "w": 6, "h": 2},
    ]
    saved = client.patch(f"/api/v1/dashboards/{created['id']}/", {"tiles": tiles}, format="json").json()
    assert [(t["kind"], t["w"]) for t in saved["tiles"]] == [("chart", 6), ("text", 6)]
    moved = [{**tiles[0], "x": 6, "w": 4}, {**tiles[1], "x": 0}]
    saved = client.patch(f"/api/v1/dashboards/{created['id']}/", {"tiles": moved}, format="json").json()
    assert {(t["kind"], t["x"], t["w"]) for t in saved["tiles"]} == {("chart", 6, 4), ("text", 0, 6)}

    filters = [
        {"column": "station", "op": "exact", "value": "00501"},
        {"column": "region", "op": "exact", "value": "x"},
    ]
    data = client.get(f"/api/v1/charts/{chart_id}/data/", {"filters": __import__("json").dumps(filters)}).json()
    assert data["filters_applied"] == [filters[0]]  # the dataset has no "region" column
    assert {row["weather"]: row["count"] for row in data["rows"]} == {"rain": 2}


def test_share_link_shows_the_dashboard_read_only_and_nothing_else(editor, workspace, make_dataset):
    dataset = make_dataset(workspace)
    client = login(editor)
    chart_id = save_chart(client, dataset).json()["id"]
    dashboard = client.post(
        "/api/v1/dashboards/",
        {"workspace": "acme", "title": "Ops", "tiles": [{"chart": chart_id, "x": 0, "y": 0, "w": 6, "h": 4}]},
        format="json",
    ).json()
    link = client.post(f"/api/v1/dashboards/{dashboard['id']}/share-links/").json()
    assert len(link["token"]) >= 30

    visitor = APIClient()
    shared = visitor.get(f"/api/v1/shared/{link['token']}/").json()
    tile_id = shared["tiles"][0]["id"]
    data = visitor.get(f"/api/v1/shared/{link['token']}/tiles/{tile_id}/data/").json()
    assert {row["weather"] for row in data["rows"]} == {"rain", "sun", "fog"}
    page = Client().get(f"/s/{link['token']}/")
    assert page.status_code == 200
    assert "Ops" in page.content.decode()
    # The link opens neither the private dataset's rows nor the dashboard API.
    assert visitor.get(f"/api/v1/datasets/{dataset.pk}/rows/").status_code == 404
    assert visitor.get(f"/api/v1/dashboards/{dashboard['id']}/").status_code in (401, 403)

    client.delete(f"/api/v1/dashboards/{dashboard['id']}/share-links/{link['id']}/")
    assert visitor.get(f"/api/v1/shared/{link['token']}/").status_code == 404
    assert Client().get(f"/s/{link['token']}/").status_code == 404


def test_tiles_on_latest_follow_a_new_version_and_pinned_ones_stay(owner, workspace, make_dataset):
    dataset = make_dataset(workspace)
    client = login(owner)
    latest = save_chart(client, dataset).json()["id"]
    pinned = save_chart(client, dataset, version_number=1).json()["id"]
    table = {"date": ["2024-03-01"], "weather": ["snow"], "temp_max": [-2.0], "station": ["00501"]}
    publish_table(dataset, table, WEATHER_COLUMNS, owner)
    assert [r["weather"] for r in client.get(f"/api/v1/charts/{latest}/data/").json()["rows"]] == ["snow"]
    assert len(client.get(f"/api/v1/charts/{pinned}/data/").json()["rows"]) == 3
    assert Chart.objects.count() == 2


def test_chart_csv_neutralises_formulas_unless_raw(editor, workspace, make_dataset):
    table = {"weather": ["=1+1", "-rain", "sun"], "temp_max": [-5.0, 1.0, 2.0]}
    columns = [
        {"name": "weather", "original_name": "weather", "type": "text", "nullable": False},
        {"name": "temp_max", "original_name": "temp_max", "type": "float", "nullable": False},
    ]
    dataset = make_dataset(workspace, table=table, columns=columns)
    client = login(editor)
    chart_id = save_chart(client, dataset).json()["id"]
    escaped = client.get(f"/api/v1/charts/{chart_id}/data/?format=csv").content.decode().splitlines()
    assert sorted(escaped[1:]) == ["'-rain,1,1.0", "'=1+1,1,-5.0", "sun,1,2.0"]
    raw = client.get(f"/api/v1/charts/{chart_id}/data/?format=csv&csv_formulas=raw").content.decode().splitlines()
    assert sorted(raw[1:]) == ["-rain,1,1.0", "=1+1,1,-5.0", "sun,1,2.0"]
