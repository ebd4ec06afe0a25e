"""GET /api/v1/notifications/ and POST /api/v1/notifications/read/."""

import pytest

from apps.live.models import Notification
from apps.live.services import notify


class Browser:
    """A signed-in session that sends its CSRF token, as the bell island does."""

    def __init__(self, client):
        self.client = client
        self.csrf = client.get("/accounts/settings/").cookies["csrftoken"].value

    def get(self, url):
        return self.client.get(url)

    def post(self, url, body):
        return self.client.post(url, body, format="json", HTTP_X_CSRFTOKEN=self.csrf)


@pytest.fixture
def browser_of(session_client):
    return lambda user: Browser(session_client(user))


def test_the_list_shows_only_the_callers_notifications_newest_first(browser_of, owner, outsider):
    notify(users=[owner], kind="job_succeeded", message="First.", url="/w/acme/")
    notify(users=[owner, outsider], kind="version_ready", message="Second.")
    answer = browser_of(owner).get("/api/v1/notifications/")
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 2
    assert [n["message"] for n in body["results"]] == ["Second.", "First."]
    first = body["results"][1]
    assert set(first) == {"id", "kind", "message", "url", "created_at", "read"}
    assert (first["kind"], first["url"], first["read"]) == ("job_succeeded", "/w/acme/", False)


def test_anonymous_callers_get_a_401(api):
    answer = api.get("/api/v1/notifications/")
    assert answer.status_code in (401, 403)
    assert answer.json()["error"]["code"]


def test_marking_some_read_ignores_other_peoples_ids(browser_of, owner, outsider):
    notify(users=[owner], kind="a", message="One.")
    notify(users=[owner], kind="a", message="Two.")
    notify(users=[outsider], kind="a", message="Theirs.")
    mine = list(Notification.objects.filter(user=owner).order_by("id").values_list("id", flat=True))
    theirs = Notification.objects.get(user=outsider).pk
    client = browser_of(owner)
    answer = client.post("/api/v1/notifications/read/", {"ids": [mine[0], theirs]})
    assert answer.status_code == 200
    assert answer.json() == {"marked": 1, "unread": 1}
    assert Notification.objects.get(pk=theirs).read is False
    listed = {n["id"]: n["read"] for n in client.get("/api/v1/notifications/").json()["results"]}
    assert listed == {mine[0]: True, mine[1]: False}


def test_marking_all_read(browser_of, owner):
    notify(users=[owner], kind="a", message="One.")
    notify(users=[owner], kind="a", message="Two.")
    client = browser_of(owner)
    assert client.post("/api/v1/notifications/read/", {"all": True}).json() == {"marked": 2, "unread": 0}
    assert client.post("/api/v1/notifications/read/", {"all": True}).json() == {"marked": 0, "unread": 0}


def test_bad_bodies_are_400s_with_the_error_shape(browser_of, owner):
    client = browser_of(owner)
    for body in ({}, {"ids": []}, {"ids": ["x"]}, {"ids": "1"}, {"all": False}):
        answer = client.post("/api/v1/notifications/read/", body)
        assert answer.status_code == 400, body
        assert answer.json()["error"]["code"], body


def test_a_read_token_cannot_mark_and_a_session_needs_csrf(token_client, session_client, owner):
    notify(users=[owner], kind="a", message="One.")
    reader = token_client(owner, scope="read")
    assert reader.get("/api/v1/notifications/").json()["count"] == 1
    assert reader.post("/api/v1/notifications/read/", {"all": True}, format="json").status_code == 403
    assert token_client(owner, scope="write").get("/api/v1/notifications/").json()["count"] == 1
    assert session_client(owner).post("/api/v1/notifications/read/", {"all": True}, format="json").status_code == 403
    assert Notification.objects.get(user=owner).read is False


def test_the_list_filters_read_and_unread(browser_of, owner):
    notify(users=[owner], kind="a", message="One.")
    notify(users=[owner], kind="a", message="Two.")
    client = browser_of(owner)
    first = Notification.objects.get(message="One.").pk
    client.post("/api/v1/notifications/read/", {"ids": [first]})
    assert [n["message"] for n in client.get("/api/v1/notifications/?read=false").json()["results"]] == ["Two."]
    assert [n["message"] for n in client.get("/api/v1/notifications/?read=true").json()["results"]] == ["One."]
    assert client.get("/api/v1/notifications/?read=maybe").json()["count"] == 2
