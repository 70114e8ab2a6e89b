from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LendingConfig(AppConfig):
    name = "symbiose.web.lending"
    label = "lending"
    verbose_name = _("Lending")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Offers are made from an actor's page, the lending shows on the dashboard, and a
        # loan that took place counts as a sharing synergy on the programme board: each
        # registered with the app that shows it, which does not import this one.
        from symbiose.web.lending.hooks import actor_section, board_notes, dashboard_panel
        from symbiose.web.synergies.extensions import board_note_register
        from symbiose.web.territory.sections import (
            actor_section_register,
            territory_panel_register,
        )

        actor_section_register(actor_section)
        territory_panel_register(dashboard_panel)
        board_note_register(board_notes)
