from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "ops"

    def ready(self) -> None:
        # The grader reads no settings itself: hand it its configuration once the settings are loaded.
        from config.grader import configure_grader

        configure_grader()
