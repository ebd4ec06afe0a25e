"""The props the chart builder and the dashboard islands start from, and the pages that render them."""

import json

from django.test import Client

from apps.dashboards import services
from apps.dashboards.islands import dashboard_props, explore_props
from apps.datasets.models import Version
from conftest import WEATHER_COLUMNS, publish_table

QUERY = {"group_by": ["weather"], "measures": [{"fn": "count"}]}


def island_props(page: str, name: str) -> dict:
    script = page.split(f'<script id="island-{name}-1" type="application/json">', 1)[1].split("</script>", 1)[0]
    return json.loads(script)


def test_explore_props_carry_the_profile_the_versions_and_who_may_save(owner, viewer, workspace, make_dataset):
    dataset = make_dataset(workspace)
    Version.objects.filter(pk=dataset.current_version_id).update(
        profile={"temp_max": {"distinct": 4, "nulls": 0, "min": 6.25, "max": 12.0}}
    )
    publish_table(dataset, {"date": ["x"], "weather": ["y"], "temp_max": [1.0], "station": ["z"]}, WEATHER_COLUMNS)
    dataset.refresh_from_db()
    props = explore_props(user=owner, dataset=dataset, chart=None)
    assert props["dataset"] == {"id": str(dataset.pk), "title": "Weather", "pageUrl": "/w/acme/weather/"}
    assert props["versions"] == [2, 1] and props["currentVersion"] == 2
    assert props["queryUrl"] == f"/api/v1/datasets/{dataset.pk}/query/"
    assert props["dashboardsUrl"] == "/api/v1/dashboards/?workspace=acme"
    assert props["canSave"] is True and props["chart"] is None
    assert [c["name"] for c in props["columns"]] == ["date", "weather", "temp_max", "station"]
    unprofiled = dict.fromkeys(["distinct", "nulls", "min", "max"])
    assert props["columns"][2] == {"name": "temp_max", "type": "float", **unprofiled}  # v2 has no profile
    assert explore_props(user=viewer, dataset=dataset, chart=None)["canSave"] is False


def test_explore_props_of_the_first_version_show_its_profile(owner, workspace, make_dataset):
    dataset = make_dataset(workspace)
    Version.objects.filter(pk=dataset.current_version_id).update(
        profile={"temp_max": {"distinct": 4, "nulls": 0, "min": 6.25, "max": 12.0}}
    )
    dataset.refresh_from_db()
    column = explore_props(user=owner, dataset=dataset, chart=None)["columns"][2]
    assert column == {"name": "temp_max", "type": "float", "distinct": 4, "nulls": 0, "min": 6.25, "max": 12.0}


def test_the_explore_page_opens_a_saved_chart_and_ignores_a_mangled_one(owner, outsider, workspace, make_dataset):
    dataset = make_dataset(workspace, visibility="public")
    chart = services.chart_create(dataset=dataset, title="Rain", chart_type="bar", query=QUERY, created_by=owner)
    client = Client()
    client.force_login(owner)
    opened = island_props(client.get(f"/w/acme/weather/explore/?chart={chart.pk}").content.decode(), "chart-builder")
    assert (opened["chart"]["id"], opened["chart"]["title"]) == (str(chart.pk), "Rain")
    mangled = client.get("/w/acme/weather/explore/?chart=not-a-uuid")
    assert mangled.status_code == 200 and island_props(mangled.content.decode(), "chart-builder")["chart"] is None
    stranger = Client()
    stranger.force_login(outsider)
    page = stranger.get(f"/w/acme/weather/explore/?chart={chart.pk}").content.decode()
    assert island_props(page, "chart-builder")["chart"] is None  # a private chart of a public dataset stays private


def test_dashboard_props_for_members_and_for_a_share_link(owner, workspace, make_dataset):
    dataset = make_dataset(workspace)
    on_board = services.chart_create(dataset=dataset, title="Rain", chart_type="bar", query=QUERY, created_by=owner)
    services.chart_create(dataset=dataset, title="Unused", chart_type="pie", query=QUERY, created_by=owner)
    dashboard = services.dashboard_create(
        workspace=workspace, title="Ops", created_by=owner, tiles=[{"chart": on_board.pk}, {"text": "Hello"}]
    )
    member = dashboard_props(dashboard=dashboard, can_edit=True)
    assert member["apiUrl"] == f"/api/v1/dashboards/{dashboard.pk}/"
    assert member["tileDataUrl"] == "/api/v1/charts/{chart}/data/"
    assert {c["title"] for c in member["charts"].values()} == {"Rain", "Unused"}  # editors may add any chart
    assert member["charts"][str(on_board.pk)]["dataset_title"] == "Weather"
    assert (member["canEdit"], member["shared"]) == (True, False)
    assert [t["kind"] for t in member["dashboard"]["tiles"]] == ["chart", "text"]

    link = services.share_link_create(dashboard=dashboard, created_by=owner)
    shared = dashboard_props(dashboard=dashboard, can_edit=False, share_token=link.token)
    assert (shared["apiUrl"], shared["shareLinksUrl"], shared["canEdit"], shared["shared"]) == ("", "", False, True)
    assert shared["tileDataUrl"] == f"/api/v1/shared/{link.token}/tiles/{{tile}}/data/"
    assert list(shared["charts"]) == [str(on_board.pk)]  # a visitor learns only the tiles' charts


def test_the_dashboard_page_renders_its_props_for_a_viewer_read_only(owner, viewer, workspace):
    dashboard = services.dashboard_create(workspace=workspace, title="Ops", created_by=owner, tiles=[{"text": "Hi"}])
    client = Client()
    client.force_login(viewer)
    page = client.get("/w/acme/dashboards/ops/").content.decode()
    assert island_props(page, "dashboard") == dashboard_props(dashboard=dashboard, can_edit=False)
