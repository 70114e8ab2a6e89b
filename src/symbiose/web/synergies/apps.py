from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SynergiesConfig(AppConfig):
    name = "symbiose.web.synergies"
    label = "synergies"
    verbose_name = _("Synergies")

    def ready(self) -> None:
        # The actor page lists the actor's proposals, and where to look for takers of the
        # outputs no proposal takes: sections this app adds to it.
        from symbiose.web.synergies.sections import actor_outlets_section, actor_proposals_section
        from symbiose.web.territory.sections import actor_section_register

        actor_section_register(actor_proposals_section)
        actor_section_register(actor_outlets_section)
