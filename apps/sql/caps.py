"""How many SQL statements one account, and one workspace, may have running at once.

Fairness (DESIGN.md, "Every limit holds as stated"): async statements run on their own Celery queue, and
these caps keep one account from filling even that queue. Each statement holds a slot in two Redis sorted
sets, its account's and (when it runs in a workspace) that workspace's, scored by the moment the slot
lapses: a process that dies holding one frees it by itself. A synchronous statement holds its slots while it
runs; an async one from the moment it is queued until its job finishes. A job that finished without saying
so (cancelled while queued, its worker killed) frees its slot when the next statement asks for one.
"""

import functools
import time
import uuid

import redis
from django.conf import settings
from rest_framework import exceptions, status

from apps.jobs.models import Job, JobStatus

SYNC_SLOT_MARGIN = 30  # seconds past SQL_TIME_LIMIT before a synchronous slot lapses
START_SLOT_SECONDS = 60  # while sql_start checks the statement and creates its job

# KEYS: the sets; ARGV: now, the slot's end, its member, then each set's cap. Answers 0 (taken) or the
# 1-based index of the first full set and how many it holds.
ACQUIRE = """
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', ARGV[1])
  local running = redis.call('ZCARD', key)
  if running >= tonumber(ARGV[3 + i]) then return {i, running} end
end
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, ARGV[2], ARGV[3])
  redis.call('EXPIREAT', key, math.ceil(tonumber(ARGV[2])) + 60)
end
return {0, 0}
"""

_clients: dict[str, redis.Redis] = {}


class TooManyQueries(exceptions.APIException):
    """A 429 in the API's error body; `message` for the SQL page, `error_details` with the figures."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "too_many_queries"

    def __init__(self, message: str, details: dict):
        super().__init__(detail=message, code=self.default_code)
        self.message = message
        self.error_details = details


def client() -> redis.Redis:
    url = settings.REDIS_URL
    if url not in _clients:
        _clients[url] = redis.Redis.from_url(url, socket_connect_timeout=2, decode_responses=True)
    return _clients[url]


def user_key(user_id) -> str:
    return f"sql:running:user:{user_id}"


def workspace_key(slug: str) -> str:
    return f"sql:running:workspace:{slug}"


def keys_for(user_id, workspace_slug: str | None) -> list[str]:
    keys = [user_key(user_id or "anonymous")]
    return [*keys, workspace_key(workspace_slug)] if workspace_slug else keys


def async_slot_seconds() -> int:
    """An async slot lasts as long as its task may (its hard time limit), counted again when it starts."""
    return settings.SQL_ASYNC_TIME_LIMIT + 60


def forget_finished_jobs(keys: list[str]) -> None:
    """Drop the slots of async statements whose job has finished (cancelled while queued, say)."""
    members = {key: client().zrange(key, 0, -1) for key in keys}
    job_ids = {m.removeprefix("job:") for found in members.values() for m in found if m.startswith("job:")}
    if not job_ids:
        return
    unfinished = {
        str(pk)
        for pk in Job.objects.filter(pk__in=job_ids, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).values_list(
            "pk", flat=True
        )
    }
    for key, found in members.items():
        gone = [m for m in found if m.startswith("job:") and m.removeprefix("job:") not in unfinished]
        if gone:
            client().zrem(key, *gone)


def acquire(*, user, workspace_slug: str | None, member: str, seconds: float) -> None:
    """Take a slot for `member` in the account's and the workspace's sets, or raise TooManyQueries."""
    keys = keys_for(getattr(user, "pk", None), workspace_slug)
    forget_finished_jobs(keys)
    caps = [settings.SQL_MAX_RUNNING_PER_USER, settings.SQL_MAX_RUNNING_PER_WORKSPACE][: len(keys)]
    now = time.time()
    full, running = client().eval(ACQUIRE, len(keys), *keys, now, now + seconds, member, *caps)
    if full:
        raise refusal(user=user, workspace_slug=workspace_slug, full_key=keys[full - 1], running=running)


def refusal(*, user, workspace_slug: str | None, full_key: str, running: int) -> TooManyQueries:
    own = client().zrange(user_key(getattr(user, "pk", None) or "anonymous"), 0, -1)
    own_jobs = sorted(m.removeprefix("job:") for m in own if m.startswith("job:"))
    cancel = " Wait for one to finish, or cancel one of your async statements with DELETE /api/v1/jobs/<id>/"
    cancel += f" ({', '.join(own_jobs)})." if own_jobs else "."
    if full_key.startswith("sql:running:workspace:"):
        limit, scope = settings.SQL_MAX_RUNNING_PER_WORKSPACE, "workspace"
        said = f"The workspace “{workspace_slug}” has {running} SQL statements running, its limit of {limit}."
    else:
        limit, scope = settings.SQL_MAX_RUNNING_PER_USER, "account"
        said = f"You have {running} SQL statements running, the limit of {limit} for one account."
    details = {"scope": scope, "running": running, "limit": limit, "jobs": own_jobs}
    return TooManyQueries(said + cancel, details)


def release(*, user_id, workspace_slug: str | None, member: str) -> None:
    pipe = client().pipeline()
    for key in keys_for(user_id, workspace_slug):
        pipe.zrem(key, member)
    pipe.execute()


def job_running(*, job_id, user_id, workspace_slug: str | None) -> None:
    """The async statement's task has started: its slot lasts for the task's time limit from now."""
    until = time.time() + async_slot_seconds()
    pipe = client().pipeline()
    for key in keys_for(user_id, workspace_slug):
        pipe.zadd(key, {f"job:{job_id}": until}, xx=True)
    pipe.execute()


def job_finished(*, job_id, user_id, workspace_slug: str | None) -> None:
    release(user_id=user_id, workspace_slug=workspace_slug, member=f"job:{job_id}")


def _slug(workspace) -> str | None:
    return workspace.slug if workspace is not None else None


def counts_while_running(run):
    """`sql_run`: the statement holds a slot of its account and workspace while it runs."""

    @functools.wraps(run)
    def wrapper(*, user, workspace=None, **kwargs):
        member = f"run:{uuid.uuid4().hex}"
        slug = _slug(workspace)
        acquire(user=user, workspace_slug=slug, member=member, seconds=settings.SQL_TIME_LIMIT + SYNC_SLOT_MARGIN)
        try:
            return run(user=user, workspace=workspace, **kwargs)
        finally:
            release(user_id=getattr(user, "pk", None), workspace_slug=slug, member=member)

    return wrapper


def counts_until_finished(start):
    """`sql_start`: the statement holds a slot from now until its job finishes (the task frees it)."""

    @functools.wraps(start)
    def wrapper(*, user, workspace=None, **kwargs):
        member, slug = f"start:{uuid.uuid4().hex}", _slug(workspace)
        acquire(user=user, workspace_slug=slug, member=member, seconds=START_SLOT_SECONDS)
        try:
            job = start(user=user, workspace=workspace, **kwargs)
            until = time.time() + async_slot_seconds()
            pipe = client().pipeline()
            for key in keys_for(getattr(user, "pk", None), slug):
                pipe.zadd(key, {f"job:{job.pk}": until})
            pipe.execute()
            return job
        finally:
            release(user_id=getattr(user, "pk", None), workspace_slug=slug, member=member)

    return wrapper
