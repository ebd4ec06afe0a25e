"""Redis stopped while the stack serves: 503s within seconds, never a 500 or a hang; back by itself after."""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import pytest
from django.conf import settings

from apps.core.management.commands.start import redis_server_binary, wait_for_redis
from apps.core.tests.test_start import free_port, wait_for_web

CSV = b"city,temp\nOslo,3\nLima,19\n"


class Redis:
    def __init__(self, folder):
        self.socket = folder / "redis.sock"
        self.url = f"unix://{self.socket}"
        self.folder, self.process = folder, None

    def start(self):
        self.process = subprocess.Popen(
            [redis_server_binary(), "--port", "0", "--unixsocket", str(self.socket), "--save", "", "--appendonly",
             "no", "--dir", str(self.folder), "--loglevel", "warning"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_redis(self.url, self.process)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def call(url, *, token=None, data=None, content_type=None, timeout=15):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if content_type:
        headers["Content-Type"] = content_type
    request = urllib.request.Request(url, data=data, headers=headers, method="POST" if data else "GET")
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, error.read(), time.monotonic() - started


def multipart(fields: dict, file_bytes: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="cities.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n".encode()
        + file_bytes
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


@pytest.mark.timeout(300)
def test_pages_and_api_answer_503_while_redis_is_down_and_recover(tmp_path):
    redis = Redis(tmp_path)
    redis.start()
    port = free_port()
    env = {
        **os.environ,
        "VAR_DIR": str(tmp_path / "var"),
        "DATA_DIR": str(tmp_path / "data"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'outage.sqlite3'}",
        "REDIS_URL": redis.url,
        "PORT": str(port),
        "WEB_WORKERS": "1",
        "WORKER_CONCURRENCY": "1",
    }
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]

    def run(*args):
        done = subprocess.run([*manage, *args], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    run("migrate", "--noinput", "-v", "0")
    run("create_user", "--email", "ops@example.com", "--password", "a-long-passphrase-1", "--workspace", "ops",
        "--role", "owner")  # fmt: skip
    token = run("create_token", "--email", "ops@example.com", "--name", "outage", "--scope", "write")
    stack = subprocess.Popen([*manage, "start"], env=env, cwd=settings.BASE_DIR, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_web(port, stack)
        assert call(f"{base}/api/v1/datasets/", token=token)[0] == 200

        redis.stop()
        status, body, seconds = call(f"{base}/api/v1/datasets/", token=token)  # throttles live in Redis
        assert status == 503 and seconds < 8, (status, seconds, body[:500])
        assert json.loads(body)["error"]["code"] == "service_unavailable"
        for path in ("/datasets/", "/", "/accounts/login/"):
            # Pages that need no Redis keep working; the others say so. Never a 500, never a hang.
            status, body, seconds = call(base + path)
            assert status in (200, 503) and seconds < 8, (path, status, seconds)
            assert status == 200 or b"briefly unavailable" in body
        body, content_type = multipart({"workspace": "ops"}, CSV)
        status, answer, seconds = call(f"{base}/api/v1/datasets/upload/", token=token, data=body,
                                       content_type=content_type)  # fmt: skip
        assert status == 503 and seconds < 10, (status, answer[:500])

        redis.start()
        deadline = time.monotonic() + 60
        while call(f"{base}/api/v1/datasets/", token=token)[0] != 200:
            assert time.monotonic() < deadline, "the API did not recover after Redis came back"
            time.sleep(0.5)
        assert call(f"{base}/datasets/")[0] == 200
        status, answer, _ = call(f"{base}/api/v1/datasets/upload/", token=token, data=body, content_type=content_type)
        assert status == 202, answer
        job_url = f"{base}/api/v1/jobs/{json.loads(answer)['job']['id']}/"
        while (job := json.loads(call(job_url, token=token)[1]))["status"] not in ("succeeded", "failed"):
            assert time.monotonic() < deadline + 60, f"the worker did not recover: {job}"
            time.sleep(0.5)
        assert job["status"] == "succeeded", job  # the worker reconnected by itself
    finally:
        os.killpg(stack.pid, 2)
        stack.wait(timeout=60)
        if redis.process.poll() is None:
            redis.stop()
