from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "symbiose.web.jobs"
    default_auto_field = "django.db.models.BigAutoField"
