from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "symbiose.web.campaigns"
    label = "campaigns"
    verbose_name = _("Data campaigns")

    def ready(self) -> None:
        # The open campaign's progress shows on the dashboard, registered with the app
        # that shows it, which does not import this one.
        from symbiose.web.campaigns.hooks import dashboard_panel
        from symbiose.web.territory.sections import territory_panel_register

        territory_panel_register(dashboard_panel)
