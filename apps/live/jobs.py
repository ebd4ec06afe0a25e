"""A job's life on its `job:<id>` channel: `progress` while it runs, `finished` once, and a notification
to the person who started it.

Workers may report many times a second; subscribers get at most one `progress` per
LIVE_JOB_MIN_INTERVAL seconds. A report that arrives inside the interval is not dropped but held, and a
timer sends the newest held one when the interval ends, so the last report always arrives promptly.
`finished` cancels anything held and is sent at once: nothing stale can follow it.
"""

import threading
import time

from django.conf import settings
from django.utils import timezone

from apps.live import services

# Held state of jobs that stopped reporting without finishing (a killed worker) is pruned after this.
_FORGET_AFTER = 3600.0


class _JobStream:
    """The publishing state of one job in this process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.last_sent = 0.0
        self.held: dict | None = None
        self.timer: threading.Timer | None = None
        self.closed = False


_streams: dict[str, _JobStream] = {}
_streams_lock = threading.Lock()


def _stream(job_id: str) -> _JobStream:
    with _streams_lock:
        now = time.monotonic()
        if len(_streams) > 100:
            for key in [k for k, s in _streams.items() if now - s.last_sent > _FORGET_AFTER and s.timer is None]:
                del _streams[key]
        return _streams.setdefault(job_id, _JobStream())


def _timestamp(value) -> str | None:
    """As DRF writes a datetime: ISO 8601 in the current time zone, UTC as `Z`."""
    if value is None:
        return None
    text = timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text


def job_data(job) -> dict:
    """The job's fields exactly as GET /api/v1/jobs/{id}/ shows them (apps.jobs.api.JobSerializer; the
    job model calls this module, so it cannot import the API's serializer back)."""
    return {
        "id": str(job.pk),
        "kind": job.kind,
        "status": str(job.status),
        "progress": float(job.progress),
        "stage": job.stage,
        "message": job.message,
        "error": job.error,
        "result": job.result,
        "created_at": _timestamp(job.created_at),
        "started_at": _timestamp(job.started_at),
        "finished_at": _timestamp(job.finished_at),
    }


def _message(job_id: str, event: str, data: dict) -> tuple[str, dict]:
    channel = f"job:{job_id}"
    group = services.names.group_name(channel)
    return group, {"type": services.MESSAGE_TYPE, "channel": channel, "event": event, "data": data}


def job_changed(job) -> None:
    """Publish the job's state as `progress`, at most once per interval (the newest state always lands)."""
    job_id = str(job.pk)
    data = job_data(job)
    stream = _stream(job_id)
    with stream.lock:
        if stream.closed:
            return
        wait = stream.last_sent + settings.LIVE_JOB_MIN_INTERVAL - time.monotonic()
        if wait <= 0 and stream.timer is None:
            stream.last_sent = time.monotonic()
            services.send_now(*_message(job_id, "progress", data))
            return
        stream.held = data
        if stream.timer is None:
            stream.timer = threading.Timer(max(0.0, wait), _send_held, args=(job_id, stream))
            stream.timer.daemon = True
            stream.timer.start()


def _send_held(job_id: str, stream: _JobStream) -> None:
    with stream.lock:
        stream.timer = None
        if stream.closed or stream.held is None:
            return
        data, stream.held = stream.held, None
        stream.last_sent = time.monotonic()
        services.send_now(*_message(job_id, "progress", data))


def job_finished(job) -> None:
    """Publish `finished` with the job's final fields (after the transaction, if any), and tell the
    person who started it how it went."""
    job_id = str(job.pk)
    stream = _stream(job_id)
    with stream.lock:
        stream.closed = True
        stream.held = None
        if stream.timer is not None:
            stream.timer.cancel()
            stream.timer = None
    with _streams_lock:
        _streams.pop(job_id, None)
    services.publish(f"job:{job_id}", "finished", job_data(job))
    if job.created_by_id is not None:
        from apps.live.messages import job_outcome

        kind, message, url = job_outcome(job)
        services.notify(users=[job.created_by_id], kind=kind, message=message, url=url)
