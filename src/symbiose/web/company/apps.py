from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompanyConfig(AppConfig):
    name = "symbiose.web.company"
    label = "company"
    verbose_name = _("Company space")
