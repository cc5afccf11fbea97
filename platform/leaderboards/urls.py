from django.urls import path

from leaderboards import views

app_name = "leaderboards"
urlpatterns = [
    path("exercise/<slug:slug>/", views.exercise_board, name="exercise"),
    path("cohort/<int:cohort_id>/<slug:slug>/", views.cohort_board, name="cohort"),
    path("pseudonym/", views.pseudonym, name="pseudonym"),
]
