def test_healthz(api):
    response = api.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_fails_clearly_without_a_worker(db, api, settings):
    settings.READYZ_WORKER_TIMEOUT = 1
    response = api.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"]["status"] == "ok"
    assert checks["redis"]["status"] == "ok"
    assert checks["worker"]["status"] == "failing: no Celery worker answered within 1 s"


def test_readyz_reports_redis_down(db, api, settings):
    settings.REDIS_URL = "unix:///nonexistent/redis.sock"
    response = api.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"]["status"].startswith("failing")
