from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionConfig(AppConfig):
    name = "symbiose.web.region"
    label = "region"
    verbose_name = _("Region")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # An operational synergy's page links to its practice sheet: registered with the
        # synergies app, which does not import this one.
        from symbiose.web.region.hooks import proposal_links
        from symbiose.web.synergies.extensions import proposal_link_register

        proposal_link_register(proposal_links)
