from celery import shared_task

from apps.accounts import services


@shared_task(name="accounts.clear_expired_credentials")
def clear_expired_credentials() -> None:
    """Daily (Celery beat): drop JWT and OAuth2 records that can no longer be used."""
    services.expired_credentials_clear()
