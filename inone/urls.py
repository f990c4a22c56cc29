from django.contrib import admin
from django.urls import include, path

from inone import security_views, views
from inone.paths import SCIM_BASE_PATH

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("api/me", views.MeView.as_view(), name="api-me"),
    path("healthz", views.health, name="healthz"),
    path("admin/", admin.site.urls),
    path("sso/", include("sso.urls")),
    path(SCIM_BASE_PATH.lstrip("/"), include("scim.urls")),
    path("settings/security/", security_views.SecurityView.as_view(), name="settings-security"),
]
