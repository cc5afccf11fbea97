from django.urls import path

from catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.track_list_view, name="track_list"),
    path("exercises/<slug:slug>/", views.exercise_detail, name="exercise_detail"),
]
