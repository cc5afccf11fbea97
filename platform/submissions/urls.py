from django.urls import path

from submissions import views

app_name = "submissions"
urlpatterns = [
    path("new/<slug:slug>/", views.submit, name="submit"),
    path("history/<slug:slug>/", views.history, name="history"),
    path("<uuid:submission_id>/", views.detail, name="detail"),
    path("<uuid:submission_id>/status.json", views.status, name="status"),
]
