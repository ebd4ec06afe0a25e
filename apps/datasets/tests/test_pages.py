"""Dataset pages without JavaScript: the upload form, the edit form, the histogram and the islands' props."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import Client

from apps.datasets.islands import grid_props, upload_island_props
from apps.datasets.models import Dataset, Version
from apps.datasets.templatetags.datasets import histogram_svg
from apps.jobs.models import Job

CSV = b"city,population\nLyon,522250\nBrest,139602\n"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_upload_form_creates_the_dataset_and_its_first_version(
    editor, workspace, eager, django_capture_on_commit_callbacks
):
    form = {"file": SimpleUploadedFile("city_sizes.csv", CSV), "workspace": "acme", "visibility": "public"}
    client = logged_in(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/datasets/new/", {**form, "title": "", "description": ""})
    dataset = Dataset.objects.get()
    assert response.status_code == 302 and response["Location"] == "/w/acme/city-sizes/"
    assert (dataset.title, dataset.visibility, dataset.current_version.row_count) == ("city sizes", "public", 2)
    page = client.get(response["Location"]).content.decode()
    assert "Upload received; Datamill is processing it now." in page


def test_the_upload_form_refuses_a_viewers_workspace_and_keeps_nothing(viewer, workspace):
    form = {"file": SimpleUploadedFile("c.csv", CSV), "workspace": "acme", "visibility": "private"}
    response = logged_in(viewer).post("/datasets/new/", form)
    assert response.status_code == 200
    assert "Select a valid choice. That choice is not one of the available choices." in response.content.decode()
    assert not Dataset.objects.exists() and not Version.objects.exists() and not Job.objects.exists()


def test_the_edit_form_moves_the_address_with_the_title_and_sets_tags(owner, workspace, make_dataset):
    make_dataset(workspace, title="Rain")
    dataset = make_dataset(workspace, title="Weather")
    form = {"title": "Rain", "description": "Daily", "visibility": "private", "tags": "Climate, daily , ,climate"}
    response = logged_in(owner).post("/w/acme/weather/edit/", form)
    assert response.status_code == 302 and response["Location"] == "/w/acme/rain-2/"
    dataset.refresh_from_db()
    assert (dataset.slug, dataset.tag_names) == ("rain-2", ["climate", "daily"])
    assert logged_in(owner).get("/w/acme/weather/").status_code == 404
    edit = logged_in(owner).get("/w/acme/rain-2/edit/").content.decode()
    assert 'value="climate, daily"' in edit


def test_a_viewer_cannot_open_the_edit_form(viewer, workspace, make_dataset):
    make_dataset(workspace)
    assert logged_in(viewer).get("/w/acme/weather/edit/").status_code == 403


def test_the_histogram_is_an_svg_of_bars_scaled_to_the_highest():
    profile = {"histogram": [{"start": 0, "end": 5, "count": 2}, {"start": 5, "end": 10, "count": 8}]}
    svg = str(histogram_svg(profile, width=100, height=20))
    assert svg.startswith('<svg class="histogram" width="100" height="20" viewBox="0 0 100 20" role="img"')
    assert '<rect x="0.5" y="15.0" width="49.0" height="5.0"><title>0 to 5: 2</title></rect>' in svg
    assert '<rect x="50.5" y="0.0" width="49.0" height="20.0"><title>5 to 10: 8</title></rect>' in svg
    assert "<script" not in svg


def test_the_histogram_escapes_bin_labels_and_draws_nothing_without_bins():
    profile = {"histogram": [{"start": "<b>", "end": "z", "count": 0}]}
    svg = Template("{% load datasets %}{% histogram_svg profile %}").render(Context({"profile": profile}))
    assert "<title>&lt;b&gt; to z: 0</title>" in svg
    assert 'height="1.0"' in svg  # an empty bin still shows as a line
    assert histogram_svg({}) == "" and histogram_svg({"histogram": []}) == ""


def test_the_dataset_page_draws_a_histogram_per_profiled_column(owner, workspace, make_dataset):
    dataset = make_dataset(workspace)
    Version.objects.filter(pk=dataset.current_version_id).update(
        profile={"temp_max": {"count": 4, "histogram": [{"start": 6, "end": 9, "count": 3}]}}
    )
    page = logged_in(owner).get("/w/acme/weather/").content.decode()
    assert page.count('<svg class="histogram"') == 1
    assert "<title>6 to 9: 3</title>" in page


def test_grid_props_pin_the_version(owner, workspace, make_dataset):
    dataset = make_dataset(workspace)
    props = grid_props(dataset.current_version)
    assert props == {
        "rowsUrl": f"/api/v1/datasets/{dataset.pk}/versions/1/rows/",
        "exportUrl": f"/api/v1/datasets/{dataset.pk}/versions/1/export/",
        "columns": [
            {"name": "date", "type": "text", "nullable": False},
            {"name": "weather", "type": "text", "nullable": False},
            {"name": "temp_max", "type": "float", "nullable": False},
            {"name": "station", "type": "text", "nullable": False},
        ],
        "total": 4,
        "pageSize": 200,
    }


def test_upload_props_offer_only_writable_workspaces(editor, viewer, workspace, make_dataset):
    new = upload_island_props(user=editor, workspace="acme")
    assert (new["mode"], new["uploadUrl"], new["defaultWorkspace"], new["datasetUrl"]) == (
        "new",
        "/api/v1/datasets/upload/",
        "acme",
        None,
    )
    assert {"slug": "acme", "name": "Acme Analytics"} in new["workspaces"]
    assert "acme" not in {w["slug"] for w in upload_island_props(user=viewer)["workspaces"]}
    dataset = make_dataset(workspace)
    version = upload_island_props(user=editor, dataset=dataset)
    assert (version["mode"], version["uploadUrl"], version["datasetUrl"]) == (
        "version",
        f"/api/v1/datasets/{dataset.pk}/versions/",
        "/w/acme/weather/",
    )


def test_the_dataset_page_renders_the_props_it_builds(editor, workspace, make_dataset):
    dataset = make_dataset(workspace)
    page = logged_in(editor).get("/w/acme/weather/").content.decode()
    grid = page.split('<script id="island-grid-1" type="application/json">', 1)[1].split("</script>", 1)[0]
    assert json.loads(grid) == grid_props(dataset.current_version)
    assert 'data-island="upload"' in page
