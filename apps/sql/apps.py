from django.apps import AppConfig


class SqlConfig(AppConfig):
    name = "apps.sql"
    label = "sql"
    verbose_name = "SQL"

    def ready(self):
        # Registers the tasks in every process, so jobs sent by name keep the task's own options
        # (and run in-process when tasks are eager).
        from apps.sql import tasks  # noqa: F401
