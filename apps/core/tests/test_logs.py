"""Request ids on responses and log lines; JSON log lines with the job id on worker lines."""

import json
import logging

from apps.core import logs


def test_every_response_carries_a_request_id(client, db):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_a_sane_incoming_request_id_is_kept_and_a_hostile_one_replaced(client, db):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="trace-1234abcd")["X-Request-ID"] == "trace-1234abcd"
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID="bad\nid <script>")["X-Request-ID"]
    assert replaced != "bad\nid <script>" and len(replaced) == 32


def json_formatter():
    from django.conf import settings

    config = settings.LOGGING["formatters"]["json"]
    factory = config["()"]
    module, name = factory.rsplit(".", 1)
    cls = getattr(__import__(module, fromlist=[name]), name)
    return cls(config["fmt"], rename_fields=config["rename_fields"])


def record(message: str) -> logging.LogRecord:
    item = logging.LogRecord("apps.test", logging.INFO, __file__, 1, message, None, None)
    logs.ContextFilter().filter(item)
    return item


def test_json_lines_carry_the_request_id():
    token = logs.request_id.set("abc123def456")
    try:
        line = json_formatter().format(record("answered"))
    finally:
        logs.request_id.reset(token)
    data = json.loads(line)
    assert data["message"] == "answered"
    assert data["request_id"] == "abc123def456"
    assert data["level"] == "INFO" and data["logger"] == "apps.test"


def test_worker_lines_carry_the_job_id():
    logs._job_started(task_id="t", kwargs={"job_id": "0b9e-job"})
    try:
        data = json.loads(json_formatter().format(record("ingesting")))
    finally:
        logs._job_ended()
    assert data["job_id"] == "0b9e-job"
    assert json.loads(json_formatter().format(record("idle")))["job_id"] == ""


def test_secrets_are_redacted_from_log_text():
    cases = {
        "GET /ws/?token=dm_abcdefghijkl HTTP/1.1": "GET /ws/?token=[redacted] HTTP/1.1",
        "/oauth/?client_id=app&code=c0de&state=st": "/oauth/?client_id=app&code=[redacted]&state=[redacted]",
        "/x?a=1&password=hunter2&access_token=at": "/x?a=1&password=[redacted]&access_token=[redacted]",
        "/f?X-Amz-Signature=abc&X-Amz-Credential=k": "/f?X-Amz-Signature=[redacted]&X-Amz-Credential=[redacted]",
        "Authorization: Bearer eyJa.b.c": "Authorization: [redacted]",
        "/invite/s3cret/ and /embed/t0ken/": "/invite/[redacted]/ and /embed/[redacted]/",
        "/accounts/reset/MQ/abc-123/": "/accounts/reset/MQ/[redacted]/",
        "/accounts/reset/MQ/set-password/": "/accounts/reset/MQ/set-password/",
        "leaked dm_abcdefghijkl in a message": "leaked dm_[redacted] in a message",
        "/api/v1/datasets/?q=token&page=2": "/api/v1/datasets/?q=token&page=2",
    }
    for text, redacted in cases.items():
        assert logs.redact(text) == redacted, text


def test_a_record_keeps_the_shape_of_its_arguments():
    item = logging.LogRecord("x", logging.INFO, __file__, 1, "%s %d", ("/?token=abc", 200), None)
    logs.RedactFilter().filter(item)
    assert item.args == ("/?token=[redacted]", 200) and item.getMessage() == "/?token=[redacted] 200"
