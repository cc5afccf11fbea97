from django.urls import path

from catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.track_list_view, name="track_list"),
    path("lesson/", views.lesson, name="lesson"),
    path("lesson/<slug:anchor>/", views.lesson_section, name="lesson_section"),
    path("exercises/<slug:slug>/", views.exercise_detail, name="exercise_detail"),
    path("exercises/<slug:slug>/hint/", views.hint_next, name="hint_next"),
    path("exercises/<slug:slug>/explanation/", views.explanation, name="explanation"),
    path("favicon.ico", views.favicon, name="favicon"),
]
