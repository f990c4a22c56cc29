from django.apps import AppConfig


class InoneConfig(AppConfig):
    name = "inone"
    verbose_name = "Inone panel"
