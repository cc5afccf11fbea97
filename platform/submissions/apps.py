from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "submissions"

    def ready(self) -> None:
        from submissions import recovery  # noqa: F401  (connects the worker_ready receiver)
