from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "courses: who owns which exercises, and versions pushed for a check"
