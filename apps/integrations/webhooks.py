"""Webhooks: creating them, building and signing event bodies, and delivering them with retries.

A body is `{"type", "timestamp", "data": {"dataset": {id, slug, title, url}, "version": {number, row_count,
error}}}`, signed as Standard Webhooks do: `webhook-id` (one per event, the same on every retry),
`webhook-timestamp` (the attempt's Unix time) and `webhook-signature: v1,<base64 HMAC-SHA256 of
"{id}.{timestamp}.{body}">` keyed with the secret's base64-decoded part after `whsec_`.

Each attempt is a Delivery row. A failed attempt (no 2xx within WEBHOOK_TIMEOUT, or a refused address)
creates the next attempt, which the task sends after RETRY_DELAYS; after MAX_ATTEMPTS the event is given up.
"""

import base64
import hashlib
import hmac
import json
import secrets
import time
import uuid
from urllib.parse import urlsplit

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User, Workspace
from apps.datasets.url_import import UrlImportError, post
from apps.integrations.models import TEST_EVENT, Delivery, Webhook, WebhookEvent

# Seconds between attempts: 30 s, 1.5 min, 4.5 min, 13.5 min, 40.5 min: six attempts over about an hour.
RETRY_DELAYS = (30, 90, 270, 810, 2430)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
DELIVER_TASK = "integrations.deliver_webhook"


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def clean_events(events) -> list[str]:
    if not isinstance(events, list | tuple) or not events:
        raise ValidationError({"events": f"Choose at least one of {', '.join(WebhookEvent.values)}."})
    unknown = [e for e in events if e not in WebhookEvent.values]
    if unknown:
        raise ValidationError({"events": f"Unknown event “{unknown[0]}”; use {', '.join(WebhookEvent.values)}."})
    return [e for e in WebhookEvent.values if e in events]


def clean_url(url: str) -> str:
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError({"url": "Give an http or https address."})
    if parts.username or parts.password:
        raise ValidationError({"url": "Put no user name or password in the address; verify the signature instead."})
    return url


def webhook_create(
    *, workspace: Workspace, url: str, events: list[str], created_by: User | None, active: bool = True
) -> Webhook:
    """A webhook with a new secret (`whsec_...`), which the caller shows once. The address is checked
    again at each delivery, where a private or loopback address is refused unless OUTBOUND_ALLOW_PRIVATE."""
    return Webhook.objects.create(
        workspace=workspace,
        url=clean_url(url),
        events=clean_events(events),
        secret=new_secret(),
        active=active,
        created_by=created_by,
    )


def webhook_delete(*, webhook: Webhook) -> None:
    webhook.delete()


def dataset_data(dataset) -> dict:
    return {
        "id": str(dataset.pk),
        "slug": dataset.slug,
        "title": dataset.title,
        "url": settings.SITE_URL + dataset.get_absolute_url(),
    }


def event_body(event: str, data: dict) -> str:
    return json.dumps({"type": event, "timestamp": timezone.now().isoformat(), "data": data}, separators=(",", ":"))


@transaction.atomic
def event_send(*, workspace: Workspace, event: str, data: dict) -> list[Delivery]:
    """Queue `event` for every active webhook of the workspace that subscribed to it."""
    hooks = [hook for hook in Webhook.objects.filter(workspace=workspace, active=True) if event in hook.events]
    body = event_body(event, data)
    return [delivery_queue(webhook=hook, event=event, body=body) for hook in hooks]


def webhook_test(*, webhook: Webhook) -> Delivery:
    """Queue a `webhook.test` event to this webhook alone, whatever its events."""
    data = {"dataset": None, "version": None, "message": "A test event from Datamill."}
    with transaction.atomic():
        return delivery_queue(webhook=webhook, event=TEST_EVENT, body=event_body(TEST_EVENT, data))


def delivery_queue(*, webhook: Webhook, event: str, body: str, message_id: str = "", attempt: int = 1) -> Delivery:
    delivery = Delivery.objects.create(
        webhook=webhook, event=event, body=body, message_id=message_id or f"msg_{uuid.uuid4().hex}", attempt=attempt
    )
    countdown = RETRY_DELAYS[attempt - 2] if attempt > 1 else 0
    transaction.on_commit(
        lambda: current_app.tasks[DELIVER_TASK].apply_async(kwargs={"delivery_id": delivery.pk}, countdown=countdown)
    )
    return delivery


def signature(secret: str, message_id: str, timestamp: int, body: str) -> str:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{message_id}.{timestamp}.{body}".encode()
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def signed_headers(delivery: Delivery, timestamp: int) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(delivery.webhook.secret, delivery.message_id, timestamp, delivery.body),
    }


def delivery_send(*, delivery: Delivery) -> Delivery | None:
    """Make this attempt once and record its status code or error; the next attempt when one is due.

    Idempotent: an attempt already made is not made again (a task that runs twice sends once).
    """
    claimed = Delivery.objects.filter(pk=delivery.pk, sent_at__isnull=True).update(sent_at=timezone.now())
    if not claimed:
        return None
    webhook = delivery.webhook
    status_code, error = None, ""
    if not webhook.active:
        error = "The webhook was switched off; not sent."
    else:
        timestamp = int(time.time())
        try:
            status_code = post(
                webhook.url,
                delivery.body.encode(),
                signed_headers(delivery, timestamp),
                timeout=settings.WEBHOOK_TIMEOUT,
            )
        except UrlImportError as refused:
            error = str(refused)
        else:
            if not 200 <= status_code < 300:
                error = f"The receiver answered {status_code}; only 2xx counts as delivered."
    retry = error and webhook.active and delivery.attempt < MAX_ATTEMPTS
    if error and not retry and webhook.active:
        error += f" Gave up after {delivery.attempt} attempts."
    elif retry:
        error += f" Retrying in {describe_delay(RETRY_DELAYS[delivery.attempt - 1])}."
    Delivery.objects.filter(pk=delivery.pk).update(status_code=status_code, error=error[:2000])
    if not retry:
        return None
    with transaction.atomic():
        return delivery_queue(
            webhook=webhook,
            event=delivery.event,
            body=delivery.body,
            message_id=delivery.message_id,
            attempt=delivery.attempt + 1,
        )


def describe_delay(seconds: int) -> str:
    return f"{seconds} seconds" if seconds < 120 else f"{seconds / 60:.0f} minutes"
