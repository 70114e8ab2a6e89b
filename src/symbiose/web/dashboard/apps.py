from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "symbiose.web.dashboard"
    default_auto_field = "django.db.models.BigAutoField"
