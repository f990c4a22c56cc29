from django.urls import path

from sso import views

app_name = "sso"

# No trailing slashes: the entity ID is compared as a string, and an IdP's POST to the ACS
# cannot follow a redirect.
urlpatterns = [
    path("<slug:tenant_hash>/metadata", views.MetadataView.as_view(), name="metadata"),
    path("<slug:tenant_hash>/login", views.LoginView.as_view(), name="login"),
    path("<slug:tenant_hash>/acs", views.AssertionConsumerView.as_view(), name="acs"),
    path("<slug:tenant_hash>/slo", views.SingleLogoutView.as_view(), name="slo"),
]
