"""Who and what a log line is about: the request id on web lines, the job id on worker lines.

`RequestContextMiddleware` gives every request an id (the caller's `X-Request-ID` when it is sane, else a
new one), sends it back as `X-Request-ID`, and keeps it for the request's length;
Celery's task signals do the same for the job a worker runs. The request itself stays reachable
for the audit log (who, from which address). `ContextFilter` copies both onto every log
record, so `LOG_FORMAT=json` lines (one JSON object each) carry them.
"""

import contextvars
import logging
import re
import uuid

from celery.signals import task_postrun, task_prerun

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
# The request being answered, for code that records who did something (the audit log) without every
# service taking the request: DRF sets the token's user on it too once it authenticates.
current_request: contextvars.ContextVar = contextvars.ContextVar("current_request", default=None)
job_id: contextvars.ContextVar[str] = contextvars.ContextVar("job_id", default="")

SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        rid = given if SANE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        request.request_id = rid
        tokens = (request_id.set(rid), current_request.set(request))
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(tokens[0])
            current_request.reset(tokens[1])
        response["X-Request-ID"] = rid
        return response


class ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        record.job_id = job_id.get()
        return True


@task_prerun.connect
def _job_started(task_id=None, kwargs=None, **_):
    job_id.set(str((kwargs or {}).get("job_id", "")))


@task_postrun.connect
def _job_ended(**_):
    job_id.set("")


# Secrets that travel in URLs and headers: query parameters by name, path segments of pages whose address
# is the secret (invitations, embeds, password-reset and sign-up links), Authorization values, and our
# personal tokens wherever they appear.
REDACTED_QUERY_NAMES = (
    "token|access_token|refresh_token|id_token|code|password|passwd|secret|client_secret|api_key|key"
    "|signature|sig|x-amz-signature|x-amz-credential|x-amz-security-token|state"
)
_REDACTIONS = (
    (re.compile(rf"(?i)((?:^|[?&;\s\"'])(?:{REDACTED_QUERY_NAMES})=)[^&;\s#\"']*"), r"\1[redacted]"),
    (re.compile(r"(/(?:invite|embed|signup/confirm|reset/[^/\s?#]+)/)(?!set-password/)[^/\s?#\"']+"), r"\1[redacted]"),
    (re.compile(r"(?i)(authorization\"?'?\s*[:=]\s*\"?'?)(?:(?:bearer|basic|token)\s+)?[^\s\"',]+"), r"\1[redacted]"),
    (re.compile(r"\bdm_[A-Za-z0-9_-]{8,}"), "dm_[redacted]"),
)


def redact(text: str) -> str:
    """`text` with every secret it carries replaced by `[redacted]`."""
    for pattern, replacement in _REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


class RedactFilter(logging.Filter):
    """Redacts secrets from a record's message and from each of its arguments, keeping the arguments'
    shape (uvicorn's access formatter unpacks them), so no formatter downstream ever sees a secret."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) if isinstance(arg, str) else arg for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: redact(arg) if isinstance(arg, str) else arg for key, arg in record.args.items()}
        return True
