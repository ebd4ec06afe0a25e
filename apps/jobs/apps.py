from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "apps.jobs"
    label = "jobs"

    def ready(self):
        # Registers the tasks in every process, so jobs sent by name keep the task's own options
        # (and run in-process when tasks are eager).
        from apps.jobs import tasks  # noqa: F401
