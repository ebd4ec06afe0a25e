"""The compare page, server-rendered."""

import pytest
from django.test import Client

from apps.datasets.tests.test_diff_api import WEATHER_2
from conftest import WEATHER_COLUMNS, publish_table


@pytest.fixture
def dataset(make_dataset, workspace, owner):
    dataset = make_dataset(workspace)
    publish_table(dataset, WEATHER_2, WEATHER_COLUMNS, owner)
    return dataset


def get(user, url):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(url)


def test_the_compare_page_renders_the_diff(dataset, viewer):
    response = get(viewer, "/w/acme/weather/compare/?a=1&b=2&key=date")
    assert response.status_code == 200
    page = response.content.decode()
    assert "What changed from version 1 to version 2" in page
    assert "Rows matched on <strong>date</strong>" in page
    assert "<del>sun</del> <ins>snow</ins>" in page
    assert "2024-03-01" in page  # an added row
    assert "Profile drift" in page
    assert "Content-Security-Policy" in response.headers and "<script>" not in page


def test_b_defaults_to_current_and_a_to_the_one_before(dataset, viewer):
    page = get(viewer, "/w/acme/weather/compare/").content.decode()
    assert "What changed from version 1 to version 2" in page
    # Without profiles there is no proposed key: whole rows.
    assert "Whole rows compared" in page


def test_a_key_that_is_not_unique_is_a_message(dataset, viewer):
    page = get(viewer, "/w/acme/weather/compare/?key=weather").content.decode()
    assert "the key is not unique in the first version" in page


def test_the_first_version_has_nothing_to_compare(dataset, viewer):
    page = get(viewer, "/w/acme/weather/compare/?b=1").content.decode()
    assert "nothing before it yet" in page


def test_large_versions_show_the_job(dataset, viewer, settings):
    settings.DIFF_INLINE_ROWS = 5
    page = get(viewer, "/w/acme/weather/compare/?key=date").content.decode()
    assert 'data-island="job-progress"' in page


def test_outsiders_and_missing_versions_get_404s(dataset, outsider, viewer):
    assert get(outsider, "/w/acme/weather/compare/").status_code == 404
    assert get(None, "/w/acme/weather/compare/").status_code == 404
    assert get(viewer, "/w/acme/weather/compare/?a=1&b=7").status_code == 404
    assert get(viewer, "/w/acme/weather/compare/?a=x").status_code == 404


def test_the_versions_table_links_to_the_comparison(dataset, viewer):
    page = get(viewer, "/w/acme/weather/").content.decode()
    assert 'href="/w/acme/weather/compare/?b=2">Compare with previous' in page
