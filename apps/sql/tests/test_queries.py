"""Saved queries (editors save, viewers and read tokens cannot) and derived datasets that stay fresh."""

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from apps.datasets.models import Version, VersionStatus
from apps.sql.models import DerivedVersion
from conftest import WEATHER_COLUMNS, publish_table

BY_CITY = """SELECT s.city, count(*) AS readings, max(w.temp_max) AS hottest
FROM weather w JOIN stations s USING (station) GROUP BY s.city ORDER BY s.city"""


def save(client, **body):
    return client.post(
        "/api/v1/queries/", {"workspace": "acme", "title": "By city", "sql": BY_CITY, **body}, format="json"
    )


def test_editors_save_list_change_and_delete_queries(api, editor, owner, weather, stations):
    api.force_login(editor)
    created = save(api)
    assert created.status_code == 201, created.json()
    query = created.json()
    assert query["workspace"] == "acme" and query["title"] == "By city" and query["sql"] == BY_CITY
    assert query["created_by"] == "Eddie Editor"
    assert query["url"] == f"/w/acme/sql/?query={query['id']}"
    api.force_login(owner)
    assert [q["id"] for q in api.get("/api/v1/queries/?workspace=acme").json()["results"]] == [query["id"]]
    changed = api.patch(f"/api/v1/queries/{query['id']}/", {"title": "Cities"}, format="json")
    assert changed.json()["title"] == "Cities"
    refused = api.patch(f"/api/v1/queries/{query['id']}/", {"sql": "SELECT getenv('HOME')"}, format="json")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "sql_not_allowed"
    assert api.delete(f"/api/v1/queries/{query['id']}/").status_code == 204
    assert api.get(f"/api/v1/queries/{query['id']}/").status_code == 404


def test_saving_needs_an_editor_and_a_write_token(api, viewer, editor, outsider, token_client, weather, stations):
    api.force_login(viewer)
    assert save(api).status_code == 400  # not a workspace the viewer may save in
    assert (
        token_client(editor, scope="read")
        .post("/api/v1/queries/", {"workspace": "acme", "title": "t", "sql": "SELECT 1"}, format="json")
        .status_code
        == 403
    )
    assert save(token_client(editor, scope="write")).status_code == 201
    query_id = api.get("/api/v1/queries/").json()["results"][0]["id"]  # viewers read saved queries
    assert api.patch(f"/api/v1/queries/{query_id}/", {"title": "x"}, format="json").status_code == 403
    assert api.post(f"/api/v1/queries/{query_id}/materialize/").status_code == 403
    api.force_login(outsider)
    assert api.get(f"/api/v1/queries/{query_id}/").status_code == 404


def materialize(api, query_id, capture):
    with capture(execute=True):
        response = api.post(f"/api/v1/queries/{query_id}/materialize/")
    assert response.status_code == 202, response.json()
    return response.json()


def rows_of(version: Version) -> list[dict]:
    return pq.read_table(version.path).to_pylist()


def test_a_derived_dataset_is_made_and_rebuilt_when_an_input_changes(
    api, editor, weather, stations, eager, django_capture_on_commit_callbacks
):
    api.force_login(editor)
    query_id = save(api).json()["id"]
    answer = materialize(api, query_id, django_capture_on_commit_callbacks)
    assert answer["dataset"]["title"] == "By city" and answer["version"]["number"] == 1
    derived = Version.objects.get(dataset_id=answer["dataset"]["id"], number=1)
    assert derived.status == VersionStatus.READY, derived.error
    assert derived.source_kind == "query"
    assert rows_of(derived) == [
        {"city": "Lyon", "readings": 3, "hottest": 9.0},
        {"city": "Nice", "readings": 1, "hottest": 12.0},
    ]
    assert DerivedVersion.objects.get(version=derived).inputs == [
        {"dataset": str(weather.pk), "workspace": "acme", "slug": "weather", "title": "Weather", "version": 1},
        {"dataset": str(stations.pk), "workspace": "acme", "slug": "stations", "title": "Stations", "version": 1},
    ]
    assert api.get(f"/api/v1/jobs/{answer['job']['id']}/").json()["status"] == "succeeded"

    # A new version of an input rebuilds the derived dataset through the job system.
    with django_capture_on_commit_callbacks(execute=True):
        publish_table(weather, {"station": ["00502"], "temp_max": [30.0]}, [WEATHER_COLUMNS[3], WEATHER_COLUMNS[2]])
    rebuilt = Version.objects.get(dataset_id=answer["dataset"]["id"], number=2)
    assert rebuilt.status == VersionStatus.READY, rebuilt.error
    assert rows_of(rebuilt) == [{"city": "Nice", "readings": 1, "hottest": 30.0}]
    assert rebuilt.dataset.current_version_id == rebuilt.pk
    assert DerivedVersion.objects.get(version=rebuilt).inputs[0]["version"] == 2

    # The dataset page shows the inputs with the versions used, and the SQL.
    page = api.get(rebuilt.dataset.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert "Derived from SQL" in text and "FROM weather w JOIN stations s" in text
    assert "Weather</a> v2" in text and "Stations</a> v1" in text


def test_a_failed_rebuild_keeps_the_previous_version(
    api, editor, weather, stations, eager, django_capture_on_commit_callbacks
):
    api.force_login(editor)
    query_id = save(api).json()["id"]
    dataset_id = materialize(api, query_id, django_capture_on_commit_callbacks)["dataset"]["id"]
    # The input's new version lacks the column the query joins on.
    with django_capture_on_commit_callbacks(execute=True):
        publish_table(weather, {"temp_max": [1.0]}, [WEATHER_COLUMNS[2]])
    failed = Version.objects.get(dataset_id=dataset_id, number=2)
    assert failed.status == VersionStatus.FAILED
    assert "station" in failed.error
    assert failed.job.status == "failed" and "station" in failed.job.error
    assert Version.objects.get(dataset_id=dataset_id, number=1).dataset.current_version.number == 1


def test_a_query_cannot_materialize_into_a_dataset_it_reads(
    api, editor, weather, eager, django_capture_on_commit_callbacks
):
    api.force_login(editor)
    query_id = save(api, sql="SELECT count(*) AS n FROM weather").json()["id"]
    answer = materialize(api, query_id, django_capture_on_commit_callbacks)
    slug = answer["dataset"]["slug"]
    api.patch(f"/api/v1/queries/{query_id}/", {"sql": f'SELECT n + 1 AS n FROM "{slug}"'}, format="json")  # noqa: S608
    refused = api.post(f"/api/v1/queries/{query_id}/materialize/")
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "sql_not_allowed"
    assert "the dataset it would make" in refused.json()["error"]["message"]


@pytest.fixture
def result_file(settings):
    path = settings.DATA_DIR / "sql" / "results"
    path.mkdir(parents=True)
    pq.write_table(pa.table({"a": [1]}), path / "old.parquet")
    return path / "old.parquet"


def test_old_results_are_removed(result_file):
    import os
    import time

    from apps.sql.services import results_remove_old

    assert results_remove_old() == 0
    two_days_ago = time.time() - 2 * 86400
    os.utime(result_file, (two_days_ago, two_days_ago))
    assert results_remove_old() == 1
    assert not result_file.exists()
