"""DESIGN.md, "Security rules that every feature keeps" and "Live updates": a socket's rights are the
subscriber's current rights. A revoked token or a removed membership ends them within seconds, on a real
/ws/ socket of the live server."""

import contextlib
import json
import time

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from apps.accounts import services as accounts
from apps.jobs.models import Job
from apps.live import services as live

CLOSE_SIGNED_OUT = 4401


@pytest.fixture(autouse=True)
def quick_checks(settings):
    settings.LIVE_CREDENTIAL_CHECK_SECONDS = 0.5
    settings.LIVE_RIGHTS_CACHE_SECONDS = 0.5


def socket_url(live_server, secret: str) -> str:
    return live_server.url.replace("http://", "ws://") + f"/ws/?token={secret}"


def job_event(job, n: int) -> None:
    message = {"type": live.MESSAGE_TYPE, "channel": f"job:{job.pk}", "event": "progress", "data": {"n": n}}
    live.send_now(f"live.job.{job.pk}", message)


def messages_until_closed(ws, seconds: float) -> tuple[list[dict], int | None]:
    seen, deadline = [], time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            seen.append(json.loads(ws.recv(timeout=deadline - time.monotonic())))
    except TimeoutError:
        return seen, None
    except ConnectionClosed as closed:
        return seen, closed.rcvd.code if closed.rcvd else None
    return seen, None


def test_a_revoked_token_closes_the_socket_and_hears_nothing_more(live_server, http, owner, workspace):
    token, secret = accounts.token_create(user=owner, name="script", scope="read")
    job = Job.objects.create(kind="ingest", created_by=owner, workspace=workspace)
    with connect(socket_url(live_server, secret), open_timeout=10) as ws:
        ws.send(json.dumps({"subscribe": f"job:{job.pk}"}))
        assert json.loads(ws.recv(timeout=10))["event"] == "progress"
        accounts.token_revoke(token=token)
        time.sleep(0.6)  # past the socket's cached answer (LIVE_RIGHTS_CACHE_SECONDS)
        job_event(job, 1)
        with contextlib.suppress(ConnectionClosed):  # the server may have closed it already
            ws.send(json.dumps({"subscribe": f"job:{job.pk}"}))
        seen, code = messages_until_closed(ws, 5)
    assert code == CLOSE_SIGNED_OUT
    assert [m["error"]["code"] for m in seen] == ["signed_out"]  # no event, no second job state


def test_a_revoked_token_cannot_open_a_socket(live_server, http, owner):
    token, secret = accounts.token_create(user=owner, name="script", scope="read")
    accounts.token_revoke(token=token)
    with pytest.raises(Exception, match="403"):
        connect(socket_url(live_server, secret), open_timeout=10)


def test_leaving_the_workspace_stops_its_job_events(live_server, http, owner, editor, workspace):
    _, secret = accounts.token_create(user=editor, name="script", scope="read")
    job = Job.objects.create(kind="ingest", created_by=owner, workspace=workspace)
    with connect(socket_url(live_server, secret), open_timeout=10) as ws:
        ws.send(json.dumps({"subscribe": f"job:{job.pk}"}))
        ws.recv(timeout=10)  # the job's state
        accounts.membership_remove(workspace=workspace, user=editor)
        time.sleep(0.6)  # past the socket's cached answer
        for n in range(3):
            job_event(job, n)
        seen, code = messages_until_closed(ws, 1.5)
    assert code is None  # the token still stands: the socket stays open
    assert seen == [
        {"channel": f"job:{job.pk}", "error": {"code": "not_found", "message": seen[0]["error"]["message"]}}
    ]
