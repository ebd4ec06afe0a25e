"""The catalog: what each person finds, by search words and by filters, on the page and in the API."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from apps.accounts import services as account_services
from apps.datasets import selectors, services
from conftest import WEATHER, WEATHER_COLUMNS


@pytest.fixture
def shelf(owner, workspace, make_dataset):
    """Three datasets in two workspaces, found by different words."""
    other = account_services.workspace_create(name="Field Team", slug="field", owner=owner)
    weather = make_dataset(workspace, title="Daily weather")
    services.dataset_update(dataset=weather, description="Measured at the airport", tags=["climate"])
    sales = make_dataset(
        workspace,
        title="Sales",
        visibility="public",
        table={"region": ["north"], "revenue_eur": [10.0]},
        columns=[
            {"name": "region", "original_name": "Region", "type": "text", "nullable": False},
            {"name": "revenue_eur", "original_name": "Revenue (EUR)", "type": "float", "nullable": False},
        ],
    )
    services.dataset_update(dataset=sales, tags=["finance", "weekly"])
    stations = make_dataset(other, title="Stations", table=WEATHER, columns=WEATHER_COLUMNS)
    return {"weather": weather, "sales": sales, "stations": stations}


def titles(datasets) -> set[str]:
    return {d.title for d in datasets}


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("", {"Daily weather", "Sales", "Stations"}),
        ("DAILY", {"Daily weather"}),  # title, any case
        ("weather", {"Daily weather", "Stations"}),  # a title, and a column name
        ("airport", {"Daily weather"}),  # description
        ("temp_max", {"Daily weather", "Stations"}),  # a column name
        ("Revenue", {"Sales"}),  # an original column name
        ("finance", {"Sales"}),  # a tag, whole word
        ("fin", set()),  # tags match whole, not in part
        ("daily airport", {"Daily weather"}),  # every word must match somewhere
        ("daily sales", set()),
    ],
)
def test_catalog_search_over_titles_descriptions_columns_and_tags(owner, shelf, q, found):
    assert titles(selectors.catalog(owner, q=q)) == found


@pytest.mark.parametrize(
    ("filters", "found"),
    [
        ({"workspace": "field"}, {"Stations"}),
        ({"workspace": "acme", "visibility": "private"}, {"Daily weather"}),
        ({"visibility": "public"}, {"Sales"}),
        ({"visibility": "anything"}, {"Daily weather", "Sales", "Stations"}),  # an unknown value filters nothing
        ({"tag": "weekly"}, {"Sales"}),
        ({"tag": "climate", "q": "weather"}, {"Daily weather"}),
    ],
)
def test_catalog_filters_by_workspace_visibility_and_tag(owner, shelf, filters, found):
    assert titles(selectors.catalog(owner, **filters)) == found


def test_the_catalog_shows_each_person_what_they_may_see(shelf, viewer, outsider):
    assert titles(selectors.catalog(viewer)) == {"Daily weather", "Sales"}
    assert titles(selectors.catalog(outsider)) == {"Sales"}
    assert titles(selectors.catalog(outsider, q="temp_max")) == set()
    assert {t.name for t in selectors.catalog_tags(outsider)} == {"finance", "weekly"}
    assert {t.name for t in selectors.catalog_tags(viewer)} == {"climate", "finance", "weekly"}


def test_a_dataset_with_two_matching_tags_is_listed_once(owner, shelf):
    services.dataset_update(dataset=shelf["sales"], tags=["north", "sales"])
    assert [d.title for d in selectors.catalog(owner, q="sales")] == ["Sales"]


def test_the_catalog_page_searches_and_filters_and_keeps_the_choices(owner, shelf):
    client = Client()
    client.force_login(owner)
    page = client.get("/datasets/", {"q": "temp_max", "workspace": "field"}).content.decode()
    assert "Stations" in page and "Daily weather" not in page
    assert 'value="temp_max"' in page
    assert '<option value="field" selected>' in page
    assert '<option value="climate">climate</option>' in page
    empty = client.get("/datasets/", {"q": "nothing-like-this"}).content.decode()
    assert "No datasets match." in empty


def test_the_catalog_page_without_an_account_lists_public_data(shelf):
    page = Client().get("/datasets/").content.decode()
    assert "Sales" in page and "Daily weather" not in page and "Stations" not in page


def test_the_catalog_api_takes_the_same_search_and_filters(owner, shelf):
    client = APIClient()
    client.force_login(owner)
    answer = client.get("/api/v1/datasets/", {"q": "weather", "tag": "climate"}).json()
    assert [d["title"] for d in answer["results"]] == ["Daily weather"]
    assert answer["results"][0]["tags"] == ["climate"]
