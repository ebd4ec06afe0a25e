"""POST /api/v1/sql/: answers checked against an independent computation, names, refusals, limits, permissions."""

from collections import defaultdict

import pytest
from django.conf import settings

from apps.accounts import services as account_services
from conftest import WEATHER, WEATHER_COLUMNS, publish_table

from .conftest import STATIONS

JOIN = """
SELECT s.city, count(*) AS readings, avg(w.temp_max) AS mean_max, max(w.temp_max) AS hottest
FROM acme.weather w JOIN "acme"."stations" s ON s.station = w.station
GROUP BY s.city ORDER BY s.city
"""


def expected_join() -> list[dict]:
    """The same join and GROUP BY computed in Python from the fixture tables."""
    city_of = dict(zip(STATIONS["station"], STATIONS["city"], strict=True))
    temps = defaultdict(list)
    for station, temp in zip(WEATHER["station"], WEATHER["temp_max"], strict=True):
        if station in city_of:
            temps[city_of[station]].append(temp)
    return [
        {"city": city, "readings": len(values), "mean_max": sum(values) / len(values), "hottest": max(values)}
        for city, values in sorted(temps.items())
    ]


def test_a_join_and_group_by_across_two_datasets(sql, owner, weather, stations):
    response = sql(owner, JOIN)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["rows"] == expected_join()
    assert body["columns"] == [
        {"name": "city", "type": "text"},
        {"name": "readings", "type": "integer"},
        {"name": "mean_max", "type": "float"},
        {"name": "hottest", "type": "float"},
    ]
    assert body["truncated"] is False
    assert body["elapsed_ms"] >= 0
    assert body["inputs"] == [
        {"dataset": str(weather.pk), "version": 1},
        {"dataset": str(stations.pk), "version": 1},
    ]


def test_the_second_identical_statement_comes_from_the_cache(sql, owner, weather, stations):
    assert sql(owner, JOIN)["X-Cache"] == "miss"
    again = sql(owner, JOIN)
    assert again["X-Cache"] == "hit"
    assert again.json()["rows"] == expected_join()


def test_a_new_version_is_read_at_once_and_pinned_versions_stay(sql, owner, weather):
    sql(owner, "SELECT count(*) AS n FROM acme.weather")
    publish_table(weather, {"weather": ["snow"], "temp_max": [-3.0]}, [WEATHER_COLUMNS[1], WEATHER_COLUMNS[2]], owner)
    current = sql(owner, "SELECT count(*) AS n, min(temp_max) AS low FROM acme.weather").json()
    assert current["rows"] == [{"n": 1, "low": -3.0}]
    assert current["inputs"][0]["version"] == 2
    pinned = sql(owner, 'SELECT count(*) AS n, min(temp_max) AS low FROM "acme"."weather@1"').json()
    assert pinned["rows"] == [{"n": 4, "low": 6.25}]
    assert pinned["inputs"][0]["version"] == 1
    both = sql(owner, 'SELECT (SELECT count(*) FROM acme."weather@1") - (SELECT count(*) FROM acme."weather@2") AS d')
    assert both.json()["rows"] == [{"d": 3}]
    missing = sql(owner, 'SELECT * FROM acme."weather@9"')
    assert missing.status_code == 400
    assert missing.json()["error"]["code"] == "sql_unknown_table"
    assert "version 9" in missing.json()["error"]["message"]


def test_unqualified_names_resolve_in_the_given_workspace(sql, owner, weather, stations):
    plain = "SELECT city FROM stations WHERE elevation > 100 ORDER BY city, station"
    assert sql(owner, plain, workspace="acme").json()["rows"] == [{"city": "Lyon"}, {"city": "Lyon"}]
    refused = sql(owner, plain).json()["error"]
    assert refused["code"] == "sql_unknown_table"
    assert '"stations"' in refused["message"] and "workspace" in refused["message"]
    assert refused["details"]["line"] == 1
    unknown_workspace = sql(owner, plain, workspace="nowhere")
    assert unknown_workspace.status_code == 400


def test_a_private_dataset_of_another_workspace_is_unknown(sql, owner, outsider, make_dataset, weather):
    other = account_services.workspace_create(name="Other", slug="other", owner=outsider)
    make_dataset(other, title="Secrets")
    hidden = sql(owner, "SELECT * FROM other.secrets").json()["error"]
    absent = sql(owner, "SELECT * FROM other.nothing").json()["error"]
    assert hidden["code"] == absent["code"] == "sql_unknown_table"
    assert hidden["message"].replace("secrets", "X") == absent["message"].replace("nothing", "X")
    public = make_dataset(other, title="Open data", visibility="public")
    assert sql(owner, f'SELECT count(*) AS n FROM other."{public.slug}"').json()["rows"] == [{"n": 4}]  # noqa: S608 (SQL is the input here)


@pytest.mark.parametrize(
    ("statement", "code"),
    [
        ("SELECT * FROM read_csv('/etc/passwd')", "sql_not_allowed"),
        ("SELECT * FROM read_parquet('{data}/datasets/{weather}/v1.parquet')", "sql_not_allowed"),
        ("SELECT * FROM glob('{data}/*')", "sql_not_allowed"),
        ("SELECT * FROM '{data}/datasets/{weather}/v1.parquet'", "sql_unknown_table"),
        ("SELECT * FROM 'https://example.com/data.parquet'", "sql_unknown_table"),
        ("ATTACH '{data}/x.db' AS x", "sql_not_allowed"),
        ("COPY (SELECT * FROM acme.weather) TO '{data}/stolen.csv'", "sql_not_allowed"),
        ("PRAGMA database_list", "sql_not_allowed"),
        ("SET enable_external_access = true", "sql_not_allowed"),
        ("INSTALL httpfs", "sql_not_allowed"),
        ("LOAD httpfs", "sql_not_allowed"),
        ("SELECT getenv('HOME')", "sql_not_allowed"),
        ("SELECT current_setting('allowed_directories')", "sql_not_allowed"),
        ("SELECT * FROM duckdb_settings()", "sql_not_allowed"),
        ("SELECT * FROM pragma_database_list()", "sql_not_allowed"),
        ("SELECT 1; COPY (SELECT 1) TO '{data}/x.csv'", "sql_not_allowed"),
        ("SELECT '; ATTACH' /* ; */; ATTACH '{data}/x.db'", "sql_not_allowed"),
        ("SELECT * FROM acme.weather WHERE", "sql_syntax"),
    ],
)
def test_escape_attempts_through_the_api(sql, owner, weather, statement, code):
    text = statement.format(data=settings.DATA_DIR, weather=weather.pk)
    response = sql(owner, text)
    assert response.status_code == 400, response.json()
    error = response.json()["error"]
    assert error["code"] == code, error
    assert error["message"]
    assert not (settings.DATA_DIR / "stolen.csv").exists() and not (settings.DATA_DIR / "x.db").exists()


def test_a_recursive_cte_that_never_ends_times_out(sql, owner, settings, workspace):
    settings.SQL_TIME_LIMIT = 1
    response = sql(owner, "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT max(n) FROM t")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "query_timeout"
    assert "1 seconds" in response.json()["error"]["message"]


def test_a_giant_cross_join_is_stopped(sql, owner, settings, weather):
    settings.SQL_TIME_LIMIT = 2
    settings.SQL_MEMORY_LIMIT = "200MB"
    response = sql(
        owner,
        "SELECT a.range + b.range AS s FROM range(100000000) a, range(100000000) b, acme.weather "
        "ORDER BY s DESC LIMIT 5",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] in ("query_timeout", "query_too_large")


def test_the_row_limit_truncates(sql, owner, workspace):
    body = sql(owner, "SELECT i FROM range(5000) t(i) ORDER BY i DESC", limit=3).json()
    assert body["rows"] == [{"i": 4999}, {"i": 4998}, {"i": 4997}]
    assert body["truncated"] is True
    assert sql(owner, "SELECT 1", limit=10**6).status_code == 400


def test_what_duckdb_refuses_is_a_400_naming_it_without_file_paths(sql, owner, weather):
    error = sql(owner, "SELECT nope FROM acme.weather").json()["error"]
    assert error["code"] == "query_failed"
    assert "nope" in error["message"]
    assert str(settings.DATA_DIR) not in error["message"]


def test_permissions_viewers_read_tokens_and_anonymous(sql, viewer, outsider, token_client, api, weather, stations):
    assert sql(viewer, JOIN).json()["rows"] == expected_join()
    reader = token_client(viewer, scope="read")
    assert sql(viewer, JOIN, client=reader).status_code == 200
    outsider_answer = sql(outsider, JOIN)
    assert outsider_answer.json()["error"]["code"] == "sql_unknown_table"
    api.logout()
    assert api.post("/api/v1/sql/", {"sql": "SELECT 1"}, format="json").status_code in (401, 403)


def test_history_records_what_the_person_ran(sql, owner, viewer, weather, api):
    sql(owner, "SELECT count(*) FROM acme.weather")
    sql(owner, "SELECT getenv('HOME')")
    sql(viewer, "SELECT 2")
    api.force_login(owner)
    runs = api.get("/api/v1/sql/history/").json()["results"]
    assert [(r["sql"], r["status"], r["error_code"]) for r in runs] == [
        ("SELECT getenv('HOME')", "error", "sql_not_allowed"),
        ("SELECT count(*) FROM acme.weather", "ok", ""),
    ]
    assert runs[1]["row_count"] == 1
