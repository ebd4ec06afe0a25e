"""Caps on running SQL statements per account and per workspace (apps/sql/caps.py): the 429s, the slots
that synchronous statements hold while they run, and slots that lapse on their own."""

import threading
import time

import pytest
from rest_framework.test import APIClient

from apps.accounts import services as accounts
from apps.sql import caps

FOREVER = "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT max(n) FROM t"


def start(client, statement="SELECT 1 AS one", **body):
    return client.post("/api/v1/sql/", {"sql": statement, "async": True, **body}, format="json")


def running_of(user) -> int:
    return caps.client().zcard(caps.user_key(user.pk))


@pytest.fixture
def owner_api(owner, workspace):
    client = APIClient()
    client.force_login(owner)
    return client


def test_a_third_async_statement_of_one_account_is_a_429_that_names_its_jobs(owner_api, settings):
    settings.SQL_MAX_RUNNING_PER_USER, settings.SQL_MAX_RUNNING_PER_WORKSPACE = 2, 10
    first, second = start(owner_api), start(owner_api, workspace="acme")
    assert first.status_code == second.status_code == 202
    refused = start(owner_api)
    assert refused.status_code == 429
    error = refused.json()["error"]
    assert error["code"] == "too_many_queries"
    assert error["message"].startswith("You have 2 SQL statements running, the limit of 2 for one account.")
    assert "cancel one" in error["message"] and "DELETE /api/v1/jobs/" in error["message"]
    jobs = sorted([first.json()["job"]["id"], second.json()["job"]["id"]])
    assert error["details"] == {"scope": "account", "running": 2, "limit": 2, "jobs": jobs}
    # A synchronous statement is refused too while two are running.
    now = owner_api.post("/api/v1/sql/", {"sql": "SELECT 1 AS one"}, format="json")
    assert now.status_code == 429 and now.json()["error"]["code"] == "too_many_queries"


def test_cancelling_one_frees_its_slot(owner_api, settings):
    settings.SQL_MAX_RUNNING_PER_USER = 1
    job_id = start(owner_api).json()["job"]["id"]
    assert start(owner_api).status_code == 429
    assert owner_api.delete(f"/api/v1/jobs/{job_id}/").status_code == 200
    assert start(owner_api).status_code == 202


def test_the_workspace_cap_holds_across_accounts(owner_api, editor, settings):
    settings.SQL_MAX_RUNNING_PER_USER, settings.SQL_MAX_RUNNING_PER_WORKSPACE = 5, 2
    assert start(owner_api, workspace="acme").status_code == 202
    assert start(owner_api, workspace="acme").status_code == 202
    other = APIClient()
    other.force_login(editor)
    refused = start(other, workspace="acme")
    assert refused.status_code == 429
    error = refused.json()["error"]
    assert error["message"].startswith("The workspace “acme” has 2 SQL statements running, its limit of 2.")
    assert error["details"] == {"scope": "workspace", "running": 2, "limit": 2, "jobs": []}  # not the owner's
    # Elsewhere (no workspace given) the editor's own cap is what counts.
    assert start(other).status_code == 202


def test_a_token_holder_gets_the_same_429(token_client, owner, workspace, settings):
    settings.SQL_MAX_RUNNING_PER_USER = 1
    client = token_client(owner, scope="read")
    assert start(client).status_code == 202
    assert start(client).json()["error"]["code"] == "too_many_queries"


def test_a_synchronous_statement_holds_a_slot_while_it_runs(transactional_db, owner, workspace, settings):
    settings.SQL_MAX_RUNNING_PER_USER, settings.SQL_TIME_LIMIT = 1, 3
    answers = []

    def run_forever():
        client = APIClient()
        client.force_login(owner)
        answers.append(client.post("/api/v1/sql/", {"sql": FOREVER}, format="json"))

    thread = threading.Thread(target=run_forever)
    thread.start()
    deadline = time.monotonic() + 5
    while running_of(owner) == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    client = APIClient()
    client.force_login(owner)
    try:
        assert running_of(owner) == 1
        assert start(client).status_code == 429
    finally:
        thread.join(timeout=30)
    assert answers[0].status_code == 400 and answers[0].json()["error"]["code"] == "query_timeout"
    assert running_of(owner) == 0  # released however the statement ended
    assert client.post("/api/v1/sql/", {"sql": "SELECT 1 AS one"}, format="json").status_code == 200


def test_a_slot_whose_process_died_lapses(owner, settings):
    settings.SQL_MAX_RUNNING_PER_USER = 1
    caps.acquire(user=owner, workspace_slug=None, member="run:crashed", seconds=0.3)  # never released
    with pytest.raises(caps.TooManyQueries):
        caps.acquire(user=owner, workspace_slug=None, member="run:next", seconds=5)
    time.sleep(0.5)
    caps.acquire(user=owner, workspace_slug=None, member="run:next", seconds=5)
    assert caps.client().zrange(caps.user_key(owner.pk), 0, -1) == ["run:next"]


def test_the_sql_page_says_so_instead_of_failing(owner, workspace, client, settings):
    settings.SQL_MAX_RUNNING_PER_USER = 1
    caps.acquire(user=owner, workspace_slug=None, member="run:elsewhere", seconds=30)
    client.force_login(owner)
    response = client.post("/w/acme/sql/", {"sql": "SELECT 1 AS one"})
    assert response.status_code == 200
    assert "You have 1 SQL statements running" in response.content.decode()


def test_other_users_keep_their_own_slots(owner_api, make_user, settings):
    settings.SQL_MAX_RUNNING_PER_USER = 1
    assert start(owner_api).status_code == 202
    someone = make_user("someone@example.com")
    accounts.workspace_create(name="Elsewhere", slug="elsewhere", owner=someone)
    other = APIClient()
    other.force_login(someone)
    assert start(other, workspace="elsewhere").status_code == 202
