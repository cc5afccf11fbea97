from django.urls import path

from similarity import views

app_name = "similarity"
urlpatterns = [
    path("<int:cohort_id>/", views.cohort_report, name="cohort"),
    path("<int:cohort_id>/<slug:slug>/", views.exercise_report_view, name="exercise"),
    path("<int:cohort_id>/<slug:slug>/<int:user_a>/<int:user_b>/", views.pair_view, name="pair"),
]
