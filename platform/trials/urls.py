from django.urls import path

from trials import api, views

app_name = "trials"
urlpatterns = [
    path("exercises/<slug:slug>/run/", views.run, name="run"),
    path("trials/<uuid:trial_id>/", views.detail, name="detail"),
    path("trials/<uuid:trial_id>/status.json", views.status, name="status"),
    path("api/trials", api.TrialCreate.as_view(), name="api_create"),
    path("api/trials/<uuid:trial_id>", api.TrialDetail.as_view(), name="api_detail"),
    path("api/exercises/<slug:slug>/visible-cases", api.VisibleCases.as_view(), name="api_visible_cases"),
]
