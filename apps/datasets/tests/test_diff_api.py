"""GET /api/v1/datasets/{id}/versions/{a}/diff/{b}/: shapes, the cache, the job for large versions."""

import pytest

from conftest import WEATHER_COLUMNS, publish_table

WEATHER_2 = {
    "date": ["2024-01-01", "2024-01-02", "2024-02-01", "2024-03-01"],
    "weather": ["rain", "snow", "rain", "sun"],
    "temp_max": [8.5, -1.0, 6.25, 14.0],
    "station": ["00501", "00502", "00501", "00900"],
}


@pytest.fixture
def dataset(make_dataset, workspace, owner):
    dataset = make_dataset(workspace)
    publish_table(dataset, WEATHER_2, WEATHER_COLUMNS, owner)
    return dataset


def diff_url(dataset, a=1, b=2, key=None):
    url = f"/api/v1/datasets/{dataset.pk}/versions/{a}/diff/{b}/"
    return url + (f"?key={key}" if key is not None else "")


def test_a_keyed_diff(dataset, token_client, viewer):
    response = token_client(viewer, scope="read").get(diff_url(dataset, key="date"))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"schema", "rows", "changed_columns", "sample", "profile"}
    assert body["schema"] == {"added": [], "removed": [], "type_changed": []}
    assert body["rows"] == {"before": 4, "after": 4, "added": 1, "removed": 1, "changed": 1, "unchanged": 2}
    assert body["changed_columns"] == {"weather": 1, "temp_max": 1}
    assert body["sample"]["changed"] == [
        {
            "key": {"date": "2024-01-02"},
            "before": {"date": "2024-01-02", "weather": "sun", "temp_max": 12.0, "station": "00502"},
            "after": {"date": "2024-01-02", "weather": "snow", "temp_max": -1.0, "station": "00502"},
        }
    ]
    assert body["sample"]["added"][0]["date"] == "2024-03-01"
    assert body["sample"]["removed"][0]["date"] == "2024-02-02"
    assert set(body["profile"]["temp_max"]) == {"nulls", "distinct", "mean", "min", "max"}


def test_a_whole_row_diff(dataset, token_client, viewer):
    body = token_client(viewer).get(diff_url(dataset)).json()
    assert body["rows"] == {"before": 4, "after": 4, "added": 2, "removed": 2, "changed": 0, "unchanged": 2}
    assert body["changed_columns"] == {}


def test_refusals_are_400s(dataset, token_client, viewer):
    client = token_client(viewer)
    unknown = client.get(diff_url(dataset, key="nope"))
    assert unknown.status_code == 400
    assert unknown.json()["error"]["code"] == "unknown_column"
    not_unique = client.get(diff_url(dataset, key="weather"))
    assert not_unique.status_code == 400
    assert not_unique.json()["error"]["code"] == "key_not_unique"
    assert "rain" in not_unique.json()["error"]["message"]
    assert client.get(diff_url(dataset, a=1, b=9)).status_code == 404


def test_outsiders_get_a_404(dataset, token_client, outsider):
    assert token_client(outsider).get(diff_url(dataset)).status_code == 404


def test_answers_are_cached(dataset, token_client, viewer, monkeypatch):
    client = token_client(viewer)
    first = client.get(diff_url(dataset, key="date")).json()
    from apps.datasets import diffs

    monkeypatch.setattr(diffs, "version_diff", lambda *a, **k: pytest.fail("computed again"))
    assert client.get(diff_url(dataset, key="date")).json() == first


def test_large_versions_answer_202_with_a_job_then_200(
    dataset, token_client, viewer, settings, eager, django_capture_on_commit_callbacks
):
    settings.DIFF_INLINE_ROWS = 5
    client = token_client(viewer, scope="read")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(diff_url(dataset, key="date"))
    assert response.status_code == 202
    job = client.get(f"/api/v1/jobs/{response.json()['job']['id']}/").json()
    assert (job["kind"], job["status"]) == ("diff", "succeeded")
    assert job["result"]["rows"]["changed"] == 1
    again = client.get(diff_url(dataset, key="date"))
    assert again.status_code == 200
    assert again.json()["rows"]["changed"] == 1


def test_a_large_diff_refused_in_its_job_is_a_400_afterwards(
    dataset, token_client, viewer, settings, eager, django_capture_on_commit_callbacks
):
    settings.DIFF_INLINE_ROWS = 5
    client = token_client(viewer)
    with django_capture_on_commit_callbacks(execute=True):
        job_id = client.get(diff_url(dataset, key="weather")).json()["job"]["id"]
    job = client.get(f"/api/v1/jobs/{job_id}/").json()
    assert job["status"] == "failed" and "not unique" in job["error"]
    again = client.get(diff_url(dataset, key="weather"))
    assert again.status_code == 400
    assert again.json()["error"]["code"] == "key_not_unique"
