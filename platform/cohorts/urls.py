from django.urls import path

from cohorts import views

app_name = "cohorts"
urlpatterns = [
    path("", views.cohort_list, name="list"),
    path("new/", views.cohort_new, name="new"),
    path("join/", views.cohort_join_view, name="join"),
    path("<int:cohort_id>/", views.cohort_detail, name="detail"),
    path("<int:cohort_id>/export.csv", views.cohort_export, name="export"),
    path("<int:cohort_id>/deadline/", views.cohort_deadline, name="deadline"),
    path("<int:cohort_id>/regrade/<slug:slug>/", views.cohort_regrade_view, name="regrade"),
    path("<int:cohort_id>/learners/<int:user_id>/", views.cohort_learner, name="learner"),
    path("submissions/<uuid:submission_id>/regrade/", views.submission_regrade_view, name="regrade_submission"),
]
