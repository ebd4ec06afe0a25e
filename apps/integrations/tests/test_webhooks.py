"""Webhook deliveries to a loopback receiver: signatures verified independently, retries, refusals."""

import base64
import hashlib
import hmac
import itertools
import json
import time

import pytest
from standardwebhooks.webhooks import Webhook as StandardWebhook

from apps.datasets import services as dataset_services
from apps.integrations import webhooks
from apps.integrations.models import Delivery
from apps.integrations.tests.conftest import CSV_V1
from apps.integrations.tests.servers import Receiver


@pytest.fixture
def hook(workspace, owner, receiver):
    return webhooks.webhook_create(
        workspace=workspace, url=receiver.url, events=["version.ready", "version.failed"], created_by=owner
    )


def upload(dataset, owner, capture, content=CSV_V1):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with capture(execute=True):
        version, _ = dataset_services.version_create(
            dataset=dataset, uploaded_file=SimpleUploadedFile("cities.csv", content), created_by=owner
        )
    version.refresh_from_db()
    return version


def test_a_ready_version_is_delivered_signed_as_standard_webhooks_say(
    hook, receiver, workspace, owner, eager, allow_private, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://data.example.com"
    dataset = dataset_services.dataset_create(workspace=workspace, title="Cities", created_by=owner)
    upload(dataset, owner, django_capture_on_commit_callbacks)

    assert len(receiver.received) == 1
    request = receiver.received[0]
    headers, body = request["headers"], request["body"]
    # The reference implementation verifies the signature (and the timestamp's freshness).
    payload = StandardWebhook(hook.secret).verify(body, headers)
    assert payload["type"] == "version.ready"
    assert payload["data"] == {
        "dataset": {
            "id": str(dataset.pk),
            "slug": "cities",
            "title": "Cities",
            "url": "https://data.example.com/w/acme/cities/",
        },
        "version": {"number": 1, "row_count": 2, "error": None},
    }
    assert set(json.loads(body)) == {"type", "timestamp", "data"}
    # And by hand: HMAC-SHA256 of "{id}.{timestamp}.{body}" keyed with the secret's decoded part.
    key = base64.b64decode(hook.secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    assert headers["webhook-signature"] == f"v1,{expected}"
    delivery = Delivery.objects.get(webhook=hook)
    assert (delivery.event, delivery.status_code, delivery.error, delivery.attempt) == ("version.ready", 200, "", 1)


def test_a_failed_version_is_delivered_with_its_error(
    hook, receiver, workspace, owner, eager, allow_private, django_capture_on_commit_callbacks
):
    dataset = dataset_services.dataset_create(workspace=workspace, title="Cities", created_by=owner)
    upload(dataset, owner, django_capture_on_commit_callbacks, content=b"a,b\n")
    payload = StandardWebhook(hook.secret).verify(receiver.received[0]["body"], receiver.received[0]["headers"])
    assert payload["type"] == "version.failed"
    assert payload["data"]["version"]["number"] == 1
    assert payload["data"]["version"]["row_count"] is None
    assert payload["data"]["version"]["error"]


def test_a_500_is_retried_with_the_same_message_id_until_a_2xx(
    hook, workspace, owner, eager, allow_private, transactional_db
):
    failing = Receiver(statuses=[500, 502])
    try:
        hook.url = failing.url
        hook.save()
        webhooks.webhook_test(webhook=hook)
    finally:
        failing.close()
    attempts = list(Delivery.objects.filter(webhook=hook).order_by("attempt"))
    assert [(d.attempt, d.status_code) for d in attempts] == [(1, 500), (2, 502), (3, 200)]
    assert attempts[0].error == "The receiver answered 500; only 2xx counts as delivered. Retrying in 30 seconds."
    assert attempts[1].error.endswith("Retrying in 90 seconds.")
    assert attempts[2].error == ""
    received = failing.received
    assert len({r["headers"]["webhook-id"] for r in received}) == 1
    for request in received:
        StandardWebhook(hook.secret).verify(request["body"], request["headers"])
    assert json.loads(received[0]["body"])["type"] == "webhook.test"


def test_delivery_gives_up_after_six_attempts(hook, workspace, owner, eager, allow_private, transactional_db):
    failing = Receiver(default_status=500)
    try:
        hook.url = failing.url
        hook.save()
        webhooks.webhook_test(webhook=hook)
    finally:
        failing.close()
    attempts = list(Delivery.objects.filter(webhook=hook).order_by("attempt"))
    assert [d.attempt for d in attempts] == [1, 2, 3, 4, 5, 6]
    assert attempts[-1].error.endswith("Gave up after 6 attempts.")
    assert len(failing.received) == 6


def test_retries_back_off_exponentially_over_about_an_hour(hook, allow_private, monkeypatch, transactional_db):
    failing = Receiver(default_status=500)
    sent = []
    task = webhooks.current_app.tasks[webhooks.DELIVER_TASK]
    monkeypatch.setattr(task, "apply_async", lambda kwargs, countdown: sent.append((kwargs, countdown)))
    try:
        hook.url = failing.url
        hook.save()
        webhooks.webhook_test(webhook=hook)
        for _ in range(10):  # send each queued attempt by hand, as the worker would after its countdown
            queued = Delivery.objects.get(pk=sent[-1][0]["delivery_id"])
            if webhooks.delivery_send(delivery=queued) is None:
                break
    finally:
        failing.close()
    delays = [countdown for _, countdown in sent]
    assert delays[0] == 0 and len(delays) == 6
    retries = delays[1:]
    assert retries[0] <= 60  # the first retry within a minute
    assert all(later > earlier for earlier, later in itertools.pairwise(retries))
    assert 45 * 60 <= sum(retries) <= 75 * 60  # six attempts over about an hour


def test_private_and_loopback_receivers_are_refused_by_default(hook, receiver, eager, transactional_db):
    webhooks.webhook_test(webhook=hook)
    first = Delivery.objects.filter(webhook=hook).order_by("attempt").first()
    assert first.status_code is None
    assert "127.0.0.1 is not a public internet address" in first.error
    assert receiver.received == []


def test_a_task_run_twice_sends_once(hook, receiver, allow_private, transactional_db, monkeypatch):
    task = webhooks.current_app.tasks[webhooks.DELIVER_TASK]
    monkeypatch.setattr(task, "apply_async", lambda kwargs, countdown: None)
    delivery = webhooks.webhook_test(webhook=hook)
    webhooks.delivery_send(delivery=delivery)
    webhooks.delivery_send(delivery=delivery)
    assert len(receiver.received) == 1


def test_only_subscribed_active_webhooks_get_an_event(workspace, owner, receiver, allow_private, db):
    webhooks.webhook_create(workspace=workspace, url=receiver.url, events=["refresh.failed"], created_by=owner)
    off = webhooks.webhook_create(
        workspace=workspace, url=receiver.url, events=["version.ready"], created_by=owner, active=False
    )
    on = webhooks.webhook_create(workspace=workspace, url=receiver.url, events=["version.ready"], created_by=owner)
    queued = webhooks.event_send(workspace=workspace, event="version.ready", data={})
    assert [d.webhook_id for d in queued] == [on.pk]
    assert off.secret.startswith("whsec_") and len(base64.b64decode(off.secret[6:])) == 24


@pytest.mark.timeout(120)
def test_a_real_worker_ingests_then_delivers_the_signed_event(private_env, worker, workspace, owner, receiver):
    from django.core.files.uploadedfile import SimpleUploadedFile

    hook = webhooks.webhook_create(workspace=workspace, url=receiver.url, events=["version.ready"], created_by=owner)
    dataset = dataset_services.dataset_create(workspace=workspace, title="Cities", created_by=owner)
    dataset_services.version_create(
        dataset=dataset, uploaded_file=SimpleUploadedFile("cities.csv", CSV_V1), created_by=owner
    )
    deadline = time.monotonic() + 60
    while not receiver.received and time.monotonic() < deadline:
        time.sleep(0.2)
    assert receiver.received, "no webhook arrived within 60 s"
    payload = StandardWebhook(hook.secret).verify(receiver.received[0]["body"], receiver.received[0]["headers"])
    assert payload["type"] == "version.ready"
    assert payload["data"]["version"] == {"number": 1, "row_count": 2, "error": None}
