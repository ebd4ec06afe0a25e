"""The aggregate query endpoint: answers, errors, permissions and the Redis cache."""

import redis
from rest_framework.test import APIClient

QUERY = {
    "filters": [{"column": "weather", "op": "ne", "value": "fog"}],
    "group_by": ["weather"],
    "measures": [{"fn": "count"}, {"fn": "avg", "column": "temp_max"}, {"fn": "max", "column": "temp_max"}],
    "order_by": [{"column": "count", "desc": True}],
    "limit": 10,
}


def post(client, dataset, body, path="query"):
    return client.post(f"/api/v1/datasets/{dataset.pk}/{path}/", body, format="json")


def test_query_answers_and_the_second_time_comes_from_redis(owner, workspace, make_dataset, redis_url):
    dataset = make_dataset(workspace)
    client = APIClient()
    client.force_login(owner)
    first = post(client, dataset, QUERY)
    assert first.status_code == 200, first.json()
    assert first["X-Cache"] == "miss"
    assert first.json()["rows"] == [
        {"weather": "rain", "count": 2, "avg_temp_max": 7.375, "max_temp_max": 8.5},
        {"weather": "sun", "count": 1, "avg_temp_max": 12.0, "max_temp_max": 12.0},
    ]
    reordered = {key: QUERY[key] for key in reversed(list(QUERY))}
    second = post(client, dataset, reordered)
    assert second["X-Cache"] == "hit"
    assert second.json() == first.json()
    # The answer lives in Redis, outside any web process, so a restart keeps it.
    keys = redis.Redis.from_url(redis_url).keys(f"*aggregate:{dataset.pk}:1:*")
    assert len(keys) == 1


def test_pinned_version_query(owner, workspace, make_dataset):
    dataset = make_dataset(workspace)
    client = APIClient()
    client.force_login(owner)
    response = post(client, dataset, {"measures": [{"fn": "count"}]}, path="versions/1/query")
    assert response.json()["rows"] == [{"count": 4}]
    assert post(client, dataset, {}, path="versions/9/query").status_code == 404


def test_query_errors_are_clear_400s(owner, workspace, make_dataset):
    dataset = make_dataset(workspace)
    client = APIClient()
    client.force_login(owner)
    cases = [
        ({"measures": [{"fn": "sum", "column": "weather"}]}, "weather"),
        ({"group_by": [{"column": "weather", "bucket": "month"}]}, "date or timestamp"),
        ({"measures": [{"fn": "mode", "column": "temp_max"}]}, "mode"),
        ({"filters": [{"column": "nope", "op": "exact", "value": 1}], "measures": [{"fn": "count"}]}, "nope"),
        ({"measures": [{"fn": "count"}], "limit": 10**9}, "limit"),
        (["not", "an", "object"], "JSON object"),
    ]
    for body, words in cases:
        response = post(client, dataset, body)
        assert response.status_code == 400, body
        assert words in response.json()["error"]["message"], (body, response.json())


def test_query_permissions(workspace, make_dataset, outsider, owner, token_client):
    private = make_dataset(workspace, title="Private")
    public = make_dataset(workspace, title="Public", visibility="public")
    stranger = APIClient()
    stranger.force_login(outsider)
    assert post(stranger, private, QUERY).status_code == 404
    assert post(stranger, public, QUERY).status_code == 200
    assert post(APIClient(), public, QUERY).status_code == 200
    assert post(APIClient(), private, QUERY).status_code == 404
    assert post(token_client(owner, scope="read"), private, QUERY).status_code == 200


def test_session_queries_still_need_csrf(owner, workspace, make_dataset, session_client):
    dataset = make_dataset(workspace)
    response = post(session_client(owner), dataset, QUERY)
    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]["message"]
