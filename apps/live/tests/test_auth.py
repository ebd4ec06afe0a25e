"""Who may open /ws/: a session from our own pages, a token from scripts, anonymous visitors."""

from apps.accounts import services as accounts
from apps.live.services import notify
from apps.live.tests.helpers import headers, session_cookie

SAME_ORIGIN = "http://localhost:8000"


def follows_notifications(sock) -> bool:
    answer = sock.subscribe("notifications")
    return answer == []  # no error: subscribed


def test_a_session_from_our_own_page_is_the_signed_in_person(socket, owner):
    sock = socket(headers=headers(cookie=session_cookie(owner), origin=SAME_ORIGIN))
    assert sock.connected
    assert follows_notifications(sock)
    notify(users=[owner], kind="job_succeeded", message="Import finished.")
    message = sock.receive()
    assert message["channel"] == "notifications"
    assert message["event"] == "notification"
    assert message["data"]["message"] == "Import finished."


def test_a_session_cookie_from_another_site_is_refused(socket, owner):
    cookie = session_cookie(owner)
    for origin in ("http://evil.example", "http://localhost:9999", "null", "https://localhost:8000.evil.example"):
        sock = socket(headers=headers(cookie=cookie, origin=origin))
        assert not sock.connected, origin


def test_another_site_is_refused_even_without_a_cookie(socket):
    sock = socket(headers=headers(origin="http://evil.example"))
    assert not sock.connected


def test_a_host_outside_allowed_hosts_is_refused_even_when_origin_matches(socket, owner):
    sock = socket(headers=headers(cookie=session_cookie(owner), origin="http://attacker.test", host="attacker.test"))
    assert not sock.connected


def test_a_trusted_origin_behind_a_proxy_is_accepted(socket, owner, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://*.example.com"]
    cookie = session_cookie(owner)
    sock = socket(headers=headers(cookie=cookie, origin="https://data.example.com", host="10.0.0.5:8000"))
    assert sock.connected
    assert follows_notifications(sock)


def test_a_cookie_without_an_origin_counts_for_nothing(socket, owner):
    sock = socket(headers=headers(cookie=session_cookie(owner)))
    assert sock.connected  # as an anonymous visitor
    [answer] = sock.subscribe("notifications")
    assert answer["error"]["code"] == "not_found"


def test_a_bearer_token_header(socket, owner):
    _, secret = accounts.token_create(user=owner, name="script", scope="read")
    sock = socket(headers=headers(bearer=secret))
    assert sock.connected
    assert follows_notifications(sock)


def test_a_token_in_the_query_string(socket, owner):
    _, secret = accounts.token_create(user=owner, name="script", scope="read")
    sock = socket(path=f"/ws/?token={secret}")
    assert sock.connected
    assert follows_notifications(sock)


def test_a_token_works_from_any_origin(socket, owner):
    _, secret = accounts.token_create(user=owner, name="script", scope="write")
    sock = socket(path=f"/ws/?token={secret}", headers=headers(origin="http://tools.example"))
    assert sock.connected
    assert follows_notifications(sock)


def test_a_wrong_revoked_or_malformed_token_is_refused(socket, owner):
    token, secret = accounts.token_create(user=owner, name="script", scope="read")
    assert not socket(headers=headers(bearer="dm_not-a-token")).connected
    assert not socket(path="/ws/?token=dm_not-a-token").connected
    assert not socket(headers=[(b"authorization", b"Bearer two parts")]).connected
    accounts.token_revoke(token=token)
    assert not socket(headers=headers(bearer=secret)).connected


def test_nobody_at_all_is_an_anonymous_visitor(socket, owner):
    sock = socket()
    assert sock.connected
    sock.send({"subscribe": "notifications"})
    assert sock.receive() == {
        "channel": "notifications",
        "error": {"code": "not_found", "message": "No such channel, or you may not see it."},
    }


def test_other_paths_are_refused(socket):
    assert not socket(path="/ws/other/").connected
    assert not socket(path="/api/v1/").connected


def test_an_idle_socket_stays_subscribed_past_the_redis_read_timeout(socket, owner):
    sock = socket(headers=headers(cookie=session_cookie(owner), origin=SAME_ORIGIN))
    assert follows_notifications(sock)
    assert sock.nothing(timeout=7)  # longer than a blocking read of the channel layer
    notify(users=[owner], kind="job_succeeded", message="Still here.")
    assert sock.receive()["data"]["message"] == "Still here."
