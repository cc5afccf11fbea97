from django.apps import AppConfig


class LtiConfig(AppConfig):
    name = "lti"
    verbose_name = "LTI 1.3 (launch, deep linking, grade passback)"

    def ready(self) -> None:
        from lti import receivers

        receivers.connect()
