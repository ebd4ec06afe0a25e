"""publish and notify: what subscribers receive, and when."""

import asyncio

import pytest
from channels.layers import get_channel_layer
from django.db import transaction

from apps.live import names
from apps.live.models import Notification
from apps.live.services import notify, publish


class Subscriber:
    """A channel-layer listener on one live channel, driven from sync test code on one event loop."""

    def __init__(self, channel: str):
        self.loop = asyncio.new_event_loop()
        self.layer = get_channel_layer()
        self.name = self.loop.run_until_complete(self.layer.new_channel())
        self.loop.run_until_complete(self.layer.group_add(names.group_name(channel), self.name))

    def receive(self, timeout: float = 5.0) -> dict:
        return self.loop.run_until_complete(asyncio.wait_for(self.layer.receive(self.name), timeout))

    def nothing(self, timeout: float = 0.3) -> bool:
        try:
            self.receive(timeout)
        except TimeoutError:
            return True
        return False


@pytest.fixture
def subscriber():
    made = []

    def make(channel: str) -> Subscriber:
        made.append(Subscriber(channel))
        return made[-1]

    yield make
    for sub in made:
        sub.loop.close()


def test_channel_names():
    assert names.parse("job:8c3e1a2b-0000-4000-8000-000000000000") == ("job", "8c3e1a2b-0000-4000-8000-000000000000")
    assert names.parse("dataset:1") == ("dataset", "1")
    assert names.parse("notifications") is None  # the bare name is only for clients
    assert names.parse("job:") is None
    assert names.parse("job:a b") is None
    assert names.parse("secrets:1") is None
    assert names.parse(["job:1"]) is None
    assert names.group_name("dashboard:abc") == "live.dashboard.abc"
    assert names.public_name("notifications:7") == "notifications"
    with pytest.raises(ValueError):
        publish("nope", "x", {})


@pytest.mark.django_db(transaction=True)
def test_publish_outside_a_transaction_arrives_at_once(subscriber):
    sub = subscriber("dataset:abc")
    publish("dataset:abc", "version_ready", {"version": 3})
    message = sub.receive()
    assert message == {"type": "live.event", "channel": "dataset:abc", "event": "version_ready", "data": {"version": 3}}


@pytest.mark.django_db(transaction=True)
def test_publish_inside_a_transaction_waits_for_the_commit_and_a_rollback_sends_nothing(subscriber):
    sub = subscriber("dataset:abc")
    with transaction.atomic():
        publish("dataset:abc", "version_ready", {"version": 1})
        assert sub.nothing()
    assert sub.receive()["data"] == {"version": 1}

    try:
        with transaction.atomic():
            publish("dataset:abc", "version_ready", {"version": 2})
            raise RuntimeError
    except RuntimeError:
        pass
    assert sub.nothing()


@pytest.mark.django_db(transaction=True)
def test_notify_stores_one_row_per_person_and_publishes_on_their_channel(make_user, subscriber):
    ann, bob = make_user("ann@example.com"), make_user("bob@example.com")
    sub = subscriber(names.user_channel(bob))
    notify(users=[ann, bob, bob.pk, None], kind="version_ready", message="Sales v2 is ready.", url="/w/acme/sales/")

    assert Notification.objects.filter(user=ann).count() == 1
    row = Notification.objects.get(user=bob)
    assert (row.kind, row.message, row.url, row.read) == (
        "version_ready",
        "Sales v2 is ready.",
        "/w/acme/sales/",
        False,
    )
    message = sub.receive()
    assert message["channel"] == "notifications"
    assert message["event"] == "notification"
    assert message["data"]["id"] == row.pk
    assert message["data"]["message"] == "Sales v2 is ready."
    assert message["data"]["read"] is False
    assert sub.nothing()  # once, although bob was named twice


@pytest.mark.django_db(transaction=True)
def test_publish_survives_an_unreachable_redis(settings, caplog):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": ["unix:///nonexistent.sock"]},
        }
    }
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    try:
        publish("job:abc", "progress", {})  # no transaction: sent (and failed) at once
    finally:
        channel_layers.backends.clear()
    assert "Could not publish progress" in caplog.text
