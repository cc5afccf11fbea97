from django.urls import path

from trials import views

app_name = "trials"
urlpatterns = [
    path("exercises/<slug:slug>/run/", views.run, name="run"),
    path("trials/<uuid:trial_id>/", views.detail, name="detail"),
    path("trials/<uuid:trial_id>/status.json", views.status, name="status"),
]
