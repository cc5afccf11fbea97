from django.urls import path

from courses import views

app_name = "courses"
urlpatterns = [
    path("", views.course_list, name="list"),
    path("<slug:slug>/", views.course_detail, name="detail"),
    path("<slug:slug>/new-exercise/", views.exercise_new, name="new_exercise"),
    path("<slug:slug>/upload/", views.course_upload, name="upload"),
    path("<slug:slug>/repository/", views.course_repository, name="repository"),
    path("<slug:slug>/sync/", views.course_sync, name="sync"),
    path("<slug:slug>/exercises/<slug:exercise>/edit/", views.exercise_edit, name="edit"),
    path("<slug:slug>/versions/<int:version_id>/", views.version_detail, name="version"),
    path("<slug:slug>/versions/<int:version_id>/preview/", views.version_preview, name="preview"),
    path("<slug:slug>/versions/<int:version_id>/run/", views.version_run, name="preview_run"),
    path("<slug:slug>/versions/<int:version_id>/publish/", views.version_publish, name="publish"),
]
