"""The schedule, refresh and webhook API: shapes, permissions, errors."""

import pytest

from apps.integrations.models import Delivery, Schedule, Webhook


@pytest.fixture
def schedule_url(url_dataset):
    return f"/api/v1/datasets/{url_dataset.pk}/schedule/"


def test_schedule_put_get_delete(url_dataset, schedule_url, token_client, editor, file_server):
    client = token_client(editor)
    assert client.get(schedule_url).status_code == 404
    response = client.put(schedule_url, {"cron": "0  6 * * 1"}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert set(body) == {"url", "cron", "paused", "next_run_at", "last_run_at", "last_status", "consecutive_failures"}
    assert body["url"] == file_server.data_url and body["cron"] == "0 6 * * 1"
    assert (body["paused"], body["last_run_at"], body["last_status"], body["consecutive_failures"]) == (
        False,
        None,
        "",
        0,
    )
    assert body["next_run_at"]
    paused = client.put(schedule_url, {"cron": "0 6 * * 1", "paused": True}, format="json").json()
    assert paused["paused"] is True and paused["next_run_at"] is None
    assert client.get(schedule_url).json()["paused"] is True
    assert client.delete(schedule_url).status_code == 204
    assert not Schedule.objects.exists()


def test_a_bad_cron_is_a_400_with_the_error_body(url_dataset, schedule_url, token_client, editor):
    response = token_client(editor).put(schedule_url, {"cron": "every monday"}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and "five-field crontab" in error["message"]


def test_an_uploaded_dataset_needs_a_url(make_dataset, workspace, token_client, owner):
    dataset = make_dataset(workspace)
    response = token_client(owner).put(f"/api/v1/datasets/{dataset.pk}/schedule/", {"cron": "0 * * * *"})
    assert response.status_code == 400
    assert "not imported from a URL" in response.json()["error"]["message"]


def test_schedule_permissions(url_dataset, schedule_url, token_client, viewer, outsider, editor):
    token_client(editor).put(schedule_url, {"cron": "0 * * * *"}, format="json")
    assert token_client(viewer).get(schedule_url).status_code == 200
    assert token_client(viewer).put(schedule_url, {"cron": "5 * * * *"}, format="json").status_code == 403
    assert token_client(editor, scope="read").put(schedule_url, {"cron": "5 * * * *"}).status_code == 403
    assert token_client(editor, scope="read").post(f"/api/v1/datasets/{url_dataset.pk}/refresh/").status_code == 403
    assert token_client(outsider).get(schedule_url).status_code == 404
    assert token_client(outsider).put(schedule_url, {"cron": "5 * * * *"}).status_code == 404
    assert token_client(outsider).post(f"/api/v1/datasets/{url_dataset.pk}/refresh/").status_code == 404
    assert token_client(editor).get("/api/v1/datasets/not-a-uuid/schedule/").status_code == 404


def test_public_datasets_keep_their_schedule_to_members(url_dataset, schedule_url, token_client, editor, api):
    url_dataset.visibility = "public"
    url_dataset.save()
    token_client(editor).put(schedule_url, {"cron": "0 * * * *"}, format="json")
    assert api.get(schedule_url).status_code == 404


def test_refresh_answers_202_with_the_job(
    url_dataset, schedule_url, token_client, editor, django_capture_on_commit_callbacks
):
    client = token_client(editor)
    refresh_url = f"/api/v1/datasets/{url_dataset.pk}/refresh/"
    assert client.post(refresh_url).status_code == 404  # no schedule yet
    client.put(schedule_url, {"cron": "0 * * * *"}, format="json")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(refresh_url)
    assert response.status_code == 202
    job = client.get(f"/api/v1/jobs/{response.json()['job']['id']}/").json()
    assert job["kind"] == "refresh" and job["status"] == "succeeded"
    assert job["result"] == {"changed": True, "version": 2}
    assert client.get(schedule_url).json()["last_status"] == "changed"


@pytest.fixture
def hooks_url(workspace):
    return f"/api/v1/workspaces/{workspace.slug}/webhooks/"


def test_webhooks_secret_only_in_the_post_answer(hooks_url, token_client, owner):
    client = token_client(owner)
    response = client.post(
        hooks_url, {"url": "https://hooks.example.com/in", "events": ["version.ready"]}, format="json"
    )
    assert response.status_code == 201, response.json()
    created = response.json()
    assert set(created) == {"id", "url", "events", "active", "secret"}
    assert created["secret"].startswith("whsec_") and created["active"] is True
    listed = client.get(hooks_url).json()
    assert listed["count"] == 1
    assert listed["results"] == [
        {"id": created["id"], "url": "https://hooks.example.com/in", "events": ["version.ready"], "active": True}
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"url": "https://h.example.com", "events": []}, "events"),
        ({"url": "https://h.example.com", "events": ["dataset.deleted"]}, "events"),
        ({"url": "ftp://h.example.com", "events": ["version.ready"]}, "url"),
        ({"url": "https://u:p@h.example.com", "events": ["version.ready"]}, "user name or password"),
    ],
)
def test_bad_webhooks_are_400s(hooks_url, token_client, owner, body, message):
    response = token_client(owner).post(hooks_url, body, format="json")
    assert response.status_code == 400
    assert message in response.json()["error"]["message"]
    assert not Webhook.objects.exists()


def test_webhooks_are_for_owners(hooks_url, token_client, editor, viewer, outsider, owner):
    assert token_client(editor).get(hooks_url).status_code == 403
    assert (
        token_client(viewer).post(hooks_url, {"url": "https://h.example.com", "events": ["version.ready"]}).status_code
        == 403
    )
    assert token_client(outsider).get(hooks_url).status_code == 404
    assert token_client(owner, scope="read").post(hooks_url, {"url": "https://h.example.com"}).status_code == 403
    assert token_client(owner, scope="read").get(hooks_url).status_code == 200


def test_send_test_deliveries_and_delete(
    hooks_url, token_client, owner, receiver, allow_private, eager, transactional_db
):
    client = token_client(owner)
    created = client.post(hooks_url, {"url": receiver.url, "events": ["version.failed"]}, format="json").json()
    response = client.post(f"{hooks_url}{created['id']}/test/")
    assert response.status_code == 202
    assert response.json()["event"] == "webhook.test"
    log = client.get(f"{hooks_url}{created['id']}/deliveries/").json()
    assert log["count"] == 1
    entry = log["results"][0]
    assert set(entry) == {"id", "event", "status_code", "error", "attempt", "created_at"}
    assert (entry["event"], entry["status_code"], entry["error"], entry["attempt"]) == ("webhook.test", 200, "", 1)
    assert client.delete(f"{hooks_url}{created['id']}/").status_code == 204
    assert not Delivery.objects.exists()
    assert client.delete(f"{hooks_url}{created['id']}/").status_code == 404
    assert client.get(f"{hooks_url}not-a-uuid/deliveries/").status_code == 404


def test_schema_lists_the_integrations(api):
    paths = api.get("/api/schema/?format=json").json()["paths"]
    for path in (
        "/api/v1/datasets/{id}/schedule/",
        "/api/v1/datasets/{id}/refresh/",
        "/api/v1/workspaces/{workspace}/webhooks/",
        "/api/v1/workspaces/{workspace}/webhooks/{id}/",
        "/api/v1/workspaces/{workspace}/webhooks/{id}/deliveries/",
        "/api/v1/workspaces/{workspace}/webhooks/{id}/test/",
        "/api/v1/datasets/{id}/versions/{a}/diff/{b}/",
    ):
        assert path in paths, path
    created = paths["/api/v1/workspaces/{workspace}/webhooks/"]["post"]["responses"]["201"]
    assert created["content"]["application/json"]["schema"]["$ref"].endswith("/NewWebhook")
    schedule = paths["/api/v1/datasets/{id}/schedule/"]["get"]["responses"]["200"]
    assert schedule["content"]["application/json"]["schema"]["$ref"].endswith("/Schedule")
    diff = paths["/api/v1/datasets/{id}/versions/{a}/diff/{b}/"]["get"]["responses"]
    assert set(diff) >= {"200", "202"}
