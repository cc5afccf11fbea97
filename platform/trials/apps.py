from django.apps import AppConfig


class TrialsConfig(AppConfig):
    """Trial runs (the Run button): the visible cases only, counted nowhere."""

    name = "trials"
