from django.urls import path

from lti import views

app_name = "lti"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/<uuid:registration_uuid>/", views.LoginView.as_view(), name="login_for"),
    path("launch/", views.launch, name="launch"),
    path("deep-link/", views.deep_link_choose, name="deep_link"),
    path("jwks/", views.jwks, name="jwks"),
    path("platforms/", views.platforms, name="platforms"),
]
