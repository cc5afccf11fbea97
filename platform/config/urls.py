from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.views import ThrottledLoginView
from ops import views as ops_views

urlpatterns = [
    path("", include("catalog.urls")),
    path("", include("trials.urls")),  # the Run button's pages (/exercises/<slug>/run/); its API is in api/
    path("accounts/login/", ThrottledLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("accounts.urls")),
    path("submissions/", include("submissions.urls")),
    path("cohorts/", include("cohorts.urls")),
    path("courses/", include("courses.urls")),
    path("leaderboards/", include("leaderboards.urls")),
    path("api/", include("api.urls")),
    path("similarity/", include("similarity.urls")),
    path("lti/", include("lti.urls")),
    path("admin/", admin.site.urls),
    path("healthz", ops_views.healthz, name="healthz"),
    path("metrics", ops_views.metrics, name="metrics"),
]
admin.site.site_header = "tensordojo administration"
admin.site.site_title = "tensordojo admin"
