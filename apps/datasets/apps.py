from django.apps import AppConfig


class DatasetsConfig(AppConfig):
    name = "apps.datasets"
    label = "datasets"

    def ready(self):
        # Registers the tasks in every process, so jobs sent by name keep the task's own options
        # (and run in-process when tasks are eager).
        from apps.datasets import tasks  # noqa: F401
