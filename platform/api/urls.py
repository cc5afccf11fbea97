from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from accounts.views import ThrottledTokenView
from api import courses, trials, views

app_name = "api"
urlpatterns = [
    path("token", ThrottledTokenView.as_view(), name="token"),
    path("exercises", views.ExerciseList.as_view(), name="exercises"),
    path("exercises/<slug:slug>", views.ExerciseDetail.as_view(), name="exercise"),
    path("submissions", views.SubmissionListCreate.as_view(), name="submissions"),
    path("submissions/<uuid:submission_id>", views.SubmissionDetail.as_view(), name="submission"),
    path("leaderboards/<slug:slug>", views.Leaderboard.as_view(), name="leaderboard"),
    path("courses/<slug:slug>/pushes", courses.CoursePushCreate.as_view(), name="course-pushes"),
    path("courses/<slug:slug>/pushes/<uuid:push_id>", courses.CoursePushDetail.as_view(), name="course-push"),
    path("courses/<slug:slug>/exercises/<slug:exercise>/publish", courses.ExercisePublish.as_view(), name="publish"),
    path("courses/<slug:slug>/repository", courses.CourseRepository.as_view(), name="course-repository"),
    path("courses/<slug:slug>/sync", courses.CourseSync.as_view(), name="course-sync"),
    path("courses/<slug:slug>/webhook", courses.CourseWebhook.as_view(), name="course-webhook"),
    path("trials", trials.TrialCreate.as_view(), name="trials"),
    path("trials/<uuid:trial_id>", trials.TrialDetail.as_view(), name="trial"),
    path("exercises/<slug:slug>/visible-cases", trials.VisibleCases.as_view(), name="visible_cases"),
    path("schema", SpectacularAPIView.as_view(), name="schema"),
    # Last: any other path under /api/ (a parameter that fits no route) is a JSON 404, not an HTML page.
    re_path(r"^[\s\S]*$", views.not_found, name="not_found"),  # any character, a newline too
]
