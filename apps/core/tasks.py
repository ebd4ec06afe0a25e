from celery import shared_task


@shared_task(name="core.ping", ignore_result=False)
def ping() -> str:
    """Answered by any live worker; /readyz sends it and waits."""
    return "pong"
