from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "apps.integrations"
    label = "integrations"

    def ready(self) -> None:
        # Other apps send these tasks by name (apps.datasets.services.version_announce).
        from apps.integrations import tasks  # noqa: F401
