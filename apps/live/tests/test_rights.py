"""A socket's rights end when its credential or membership does, not when it is closed."""

import time

import pytest

from apps.accounts import services as accounts
from apps.jobs.models import Job
from apps.live import services
from apps.live.consumers import CLOSE_SIGNED_OUT
from apps.live.tests.helpers import headers, session_cookie

NOT_FOUND = {"code": "not_found", "message": "No such channel, or you may not see it."}


@pytest.fixture(autouse=True)
def quick_checks(settings):
    settings.LIVE_CREDENTIAL_CHECK_SECONDS = 0.2
    settings.LIVE_RIGHTS_CACHE_SECONDS = 0


def closed_with(sock, timeout: float = 5) -> tuple[list[dict], int | None]:
    """Messages until the server closes the socket, and the close code."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        output = sock.run(sock.communicator.receive_output(timeout=timeout))
        if output["type"] == "websocket.close":
            return seen, output.get("code")
        seen.append(output)
    return seen, None


def job_event(job, progress: float) -> None:
    services.send_now(
        f"live.job.{job.pk}",
        {"type": services.MESSAGE_TYPE, "channel": f"job:{job.pk}", "event": "progress", "data": {"p": progress}},
    )


def test_a_revoked_token_closes_the_socket_within_seconds(socket, owner, workspace):
    token, secret = accounts.token_create(user=owner, name="script", scope="read")
    job = Job.objects.create(kind="ingest", created_by=owner, workspace=workspace)
    sock = socket(path=f"/ws/?token={secret}")
    assert sock.connected
    assert [m["event"] for m in sock.subscribe(f"job:{job.pk}")] == ["progress"]

    accounts.token_revoke(token=token)
    seen, code = closed_with(sock)
    assert code == CLOSE_SIGNED_OUT
    assert [m.get("text") for m in seen if "signed_out" in m.get("text", "")]


def test_a_revoked_token_can_neither_subscribe_nor_hear_events(socket, owner, workspace, settings):
    settings.LIVE_CREDENTIAL_CHECK_SECONDS = 60  # only the checks on each message and event are left
    token, secret = accounts.token_create(user=owner, name="script", scope="read")
    job = Job.objects.create(kind="ingest", created_by=owner, workspace=workspace)
    other = Job.objects.create(kind="ingest", created_by=owner, workspace=workspace)
    sock = socket(headers=headers(bearer=secret))
    sock.subscribe(f"job:{job.pk}")

    accounts.token_revoke(token=token)
    job_event(job, 0.5)
    sock.send({"subscribe": f"job:{other.pk}"})
    seen, code = closed_with(sock)
    assert code == CLOSE_SIGNED_OUT
    assert not any('"event"' in m.get("text", "") for m in seen)  # neither the event nor the new job's state


def test_signing_out_closes_the_sessions_socket(socket, owner):
    from django.contrib.sessions.models import Session

    cookie = session_cookie(owner)
    sock = socket(headers=headers(cookie=cookie, origin="http://localhost:8000"))
    assert sock.subscribe("notifications") == []
    Session.objects.filter(session_key=cookie).delete()  # what logout does to the stored session
    _, code = closed_with(sock)
    assert code == CLOSE_SIGNED_OUT


def test_a_password_change_closes_the_sessions_socket(socket, owner):
    sock = socket(headers=headers(cookie=session_cookie(owner), origin="http://localhost:8000"))
    owner.set_password("another long passphrase 77")
    owner.save()
    _, code = closed_with(sock)
    assert code == CLOSE_SIGNED_OUT


def test_leaving_the_workspace_stops_its_job_events(socket, owner, editor, workspace):
    job = Job.objects.create(kind="ingest", created_by=owner, workspace=workspace)
    sock = socket(headers=headers(cookie=session_cookie(editor), origin="http://localhost:8000"))
    sock.subscribe(f"job:{job.pk}")
    job_event(job, 0.2)
    assert sock.receive()["data"] == {"p": 0.2}

    accounts.membership_remove(workspace=workspace, user=editor)
    job_event(job, 0.3)
    assert sock.receive() == {"channel": f"job:{job.pk}", "error": NOT_FOUND}
    job_event(job, 0.4)
    assert sock.nothing()
    assert sock.subscribe(f"job:{job.pk}") == [{"channel": f"job:{job.pk}", "error": NOT_FOUND}]


def test_a_standing_token_keeps_its_socket_open(socket, owner, workspace):
    _, secret = accounts.token_create(user=owner, name="script", scope="read")
    job = Job.objects.create(kind="ingest", created_by=owner, workspace=workspace)
    sock = socket(headers=headers(bearer=secret))
    sock.subscribe(f"job:{job.pk}")
    assert sock.nothing(timeout=0.6)  # three credential checks passed quietly
    job_event(job, 0.9)
    assert sock.receive()["data"] == {"p": 0.9}
