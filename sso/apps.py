from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "sso"
    verbose_name = "SAML single sign-on"
    default_auto_field = "django.db.models.BigAutoField"
