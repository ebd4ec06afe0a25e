"""The recipe page and the recipe's traces on the dataset page: links, revisions, the day/month switch."""

import datetime
import json

import pyarrow.parquet as pq
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from apps.datasets import services
from apps.datasets.models import Version
from conftest import publish_table

DATES = {"when": [datetime.date(2024, 1, 2), datetime.date(2024, 3, 4)], "rain": [1.5, 0.0]}
DATE_COLUMNS = [
    {
        "name": "when",
        "original_name": "when",
        "type": "date",
        "nullable": False,
        "format": "%m/%d/%Y",
        "assumed_order": "MDY",
        "alternative_format": "%d/%m/%Y",
    },
    {"name": "rain", "original_name": "rain", "type": "float", "nullable": False, "format": None},
]


def client_for(person):
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


def recipe_props(response) -> dict:
    html = response.content.decode()
    marker = '<script id="island-recipe-1" type="application/json">'
    start = html.index(marker) + len(marker)
    return json.loads(html[start : html.index("</script>", start)])


@pytest.mark.parametrize(
    ("who", "status", "can_change"),
    [("anonymous", 404, None), ("outsider", 404, None), ("viewer", 200, False), ("editor", 200, True)],
)
def test_recipe_page_permissions(who, status, can_change, owner, editor, viewer, outsider, workspace, make_dataset):
    people = {"anonymous": None, "outsider": outsider, "viewer": viewer, "editor": editor}
    dataset = make_dataset(workspace)
    response = client_for(people[who]).get(f"/w/acme/{dataset.slug}/recipe/?column=temp_max")
    assert response.status_code == status
    if status == 200 and not can_change:
        text = response.content.decode()
        assert "You can read this recipe" in text
        assert 'data-island="recipe"' not in text  # the island shows pre-recipe data: editors only
    if status == 200 and can_change:
        props = recipe_props(response)
        assert props["canChange"] is can_change
        assert props["focusColumn"] == "temp_max"
        assert [c["name"] for c in props["columns"]] == ["date", "weather", "temp_max", "station"]
        assert props["recipeUrl"] == f"/api/v1/datasets/{dataset.pk}/recipe/"
        assert props["jobUrlTemplate"] == "/api/v1/jobs/{id}/"
        text = response.content.decode()
        assert ("You can read this recipe" in text) is (not can_change)


def test_a_public_datasets_recipe_page_is_for_members_only(workspace, outsider, make_dataset):
    dataset = make_dataset(workspace, visibility="public")
    assert Client().get(dataset.get_absolute_url()).status_code == 200
    assert Client().get(f"/w/acme/{dataset.slug}/recipe/").status_code == 403
    assert client_for(outsider).get(f"/w/acme/{dataset.slug}/recipe/").status_code == 403
    assert "/recipe/" not in Client().get(dataset.get_absolute_url()).content.decode()


def test_dataset_page_links_columns_to_the_recipe_for_editors(editor, viewer, workspace, make_dataset):
    dataset = make_dataset(workspace)
    page = client_for(editor).get(dataset.get_absolute_url()).content.decode()
    assert f'href="/w/acme/{dataset.slug}/recipe/?column=temp_max"' in page
    assert page.count("Change type…") == 4
    as_viewer = client_for(viewer).get(dataset.get_absolute_url()).content.decode()
    assert "Change type…" not in as_viewer
    assert f'href="/w/acme/{dataset.slug}/recipe/"' in as_viewer


def test_versions_show_the_recipe_revision_they_were_built_with(owner, workspace, make_dataset):
    dataset = make_dataset(workspace)
    version = publish_table(dataset, DATES, DATE_COLUMNS, owner)
    Version.objects.filter(pk=version.pk).update(recipe_revision=3)
    page = client_for(owner).get(dataset.get_absolute_url()).content.decode()
    assert "revision 3" in page
    assert "built with recipe revision 3" in page
    pinned = client_for(owner).get(f"/w/acme/{dataset.slug}/v/1/").content.decode()
    assert "built with recipe revision" not in pinned.split("Schema and profile")[0]


def test_an_assumed_order_is_said_and_switched_in_one_click(
    owner, viewer, workspace, eager, django_capture_on_commit_callbacks
):
    dataset = services.dataset_create(workspace=workspace, title="Rain", created_by=owner)
    csv = b"when,rain\n01/02/2024,1.5\n03/04/2024,0\n"
    with django_capture_on_commit_callbacks(execute=True):
        services.version_create(dataset=dataset, created_by=owner, uploaded_file=SimpleUploadedFile("r.csv", csv))
    first = Version.objects.get(dataset=dataset, number=1)
    when = first.columns[0]
    assert (when["type"], when["format"], when["assumed_order"], when["alternative_format"]) == (
        "date", "%m/%d/%Y", "MDY", "%d/%m/%Y"
    )  # fmt: skip
    page = client_for(owner).get(dataset.get_absolute_url()).content.decode()
    assert "Read as month/day: every value fits both orders." in page
    assert "Read as day/month instead" in page
    assert "Read as day/month instead" not in client_for(viewer).get(dataset.get_absolute_url()).content.decode()

    forbidden = client_for(viewer).post(f"/w/acme/{dataset.slug}/recipe/order/", {"column": "when"})
    assert forbidden.status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(owner).post(f"/w/acme/{dataset.slug}/recipe/order/", {"column": "when"})
    assert response.status_code == 302
    second = Version.objects.get(dataset=dataset, number=2)
    assert second.recipe_steps == [
        {"op": "cast", "column": "when", "type": "date", "format": "%d/%m/%Y", "on_error": "fail", "decimal": None,
         "thousands": None},
    ]  # fmt: skip
    assert second.recipe_revision == 1
    assert second.status == "ready", second.error
    assert pq.read_table(second.path).to_pydict()["when"] == [datetime.date(2024, 2, 1), datetime.date(2024, 4, 3)]
    assert "assumed_order" not in second.columns[0]
    assert second.columns[0]["format"] == "%d/%m/%Y"
    page = client_for(owner).get(dataset.get_absolute_url()).content.decode()
    assert "every value fits both orders" not in page
