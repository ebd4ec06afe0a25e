from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"

    def ready(self):
        from apps.core import logs  # noqa: F401 (connects the job id to Celery's task signals)
