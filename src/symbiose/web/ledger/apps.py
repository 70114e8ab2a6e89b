from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "symbiose.web.ledger"
    label = "ledger"
    verbose_name = _("Impact ledger and reports")
    default_auto_field = "django.db.models.BigAutoField"
