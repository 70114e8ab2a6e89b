from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "symbiose.web.submissions"
    default_auto_field = "django.db.models.BigAutoField"
