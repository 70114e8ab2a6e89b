from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "symbiose.web.meetings"
    label = "meetings"
    verbose_name = _("Business meetings")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The programme board says which kept synergies were met about, and a proposal's
        # page offers to request a meeting: notes this app adds to synergies' pages.
        from symbiose.web.meetings.hooks import board_notes, proposal_links
        from symbiose.web.synergies.extensions import (
            board_note_register,
            proposal_link_register,
        )

        board_note_register(board_notes)
        proposal_link_register(proposal_links)
